/**
 * `POST /api/v1/goals/import`: the annual plan as a raw body (`text/csv`, the xlsx MIME type,
 * `application/octet-stream`) or a multipart `file`. Plans are small, so the default 1 MiB body
 * limit stays; the parsers are scoped to this route. A bad plan is a 400 listing every problem
 * with its row and field, and nothing is written; `?dryRun=true` reports without writing.
 */
import { Readable } from 'node:stream';
import busboy from 'busboy';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.ts';
import type { GoalDeps } from '../../goals/deps.ts';
import { MAX_PLAN_BYTES, readPlanFile } from '../../goals/plan-file.ts';
import { importPlan, PlanError } from '../../goals/plan-import.ts';
import { importQuery } from './goals-schemas.ts';

const RAW_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'multipart/form-data'];

/** The `file` part of a multipart body already held in memory. */
function multipartFile(body: Buffer, contentType: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let found: Buffer | undefined;
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: { 'content-type': contentType }, limits: { files: 1, fileSize: MAX_PLAN_BYTES } });
    } catch {
      reject(new AppError('invalid_request', 'the multipart body has no boundary', { field: 'file' }));
      return;
    }
    bb.on('file', (name, stream) => {
      const parts: Buffer[] = [];
      stream.on('data', (d: Buffer) => name === 'file' && parts.push(d));
      stream.on('end', () => {
        if (name === 'file') found = Buffer.concat(parts);
      });
    });
    bb.on('error', () => reject(new AppError('invalid_request', 'the multipart body is malformed', { field: 'file' })));
    bb.on('close', () => (found ? resolve(found) : reject(new AppError('invalid_request', 'send the plan as a multipart field named "file"', { field: 'file' }))));
    Readable.from([body]).pipe(bb);
  });
}

export async function goalImportRoute(app: FastifyInstance, opts: { deps: GoalDeps }): Promise<void> {
  for (const type of RAW_TYPES) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }
  app.post(
    '/goals/import',
    {
      schema: {
        tags: ['goals'],
        summary: 'Import the annual plan (team × store × month targets) from CSV or XLSX, all rows or none',
        description: 'Columns: team, store, month, target (optional metric, owner, currency), or one column per month (2026-01 …). Chinese headers (团队, 店铺, 月份, 目标) work too.',
        querystring: importQuery,
      },
    },
    async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      let bytes: Buffer;
      if (Buffer.isBuffer(req.body)) bytes = req.body;
      else if (typeof req.body === 'string') bytes = Buffer.from(req.body);
      else throw new AppError('unsupported_media_type', 'send the plan as text/csv, an .xlsx body or a multipart "file"', { field: 'file' });
      if (type.startsWith('multipart/form-data')) bytes = await multipartFile(bytes, type);
      if (bytes.length === 0) throw new AppError('invalid_argument', 'the file is empty', { field: 'file' });
      const parsed = await readPlanFile(bytes);
      const q = req.query as { dryRun?: boolean };
      try {
        if (parsed.issues.length) throw new PlanError(parsed.issues);
        return await importPlan(opts.deps, req.principal!, parsed.rows, { dryRun: q.dryRun ?? false });
      } catch (err) {
        if (err instanceof PlanError) return reply.code(400).send({ error: err.code, message: err.message, field: err.field, errors: err.issues });
        throw err;
      }
    },
  );
}
