/**
 * `POST /api/v1/imports/:dataset`: a CSV or XLSX file as the raw body (`text/csv`, the xlsx MIME
 * type, `application/octet-stream`) or as the `file` part of multipart/form-data. The body is
 * streamed to a temporary file by route-scoped parsers (pitfalls.md: never a bigger global
 * bodyLimit), cut off at the upload limit with 413, and imported in one transaction.
 * `?dryRun=1` validates and reports without writing. `GET /api/v1/imports/runs/:id` returns a
 * run with its row report (`?format=csv` downloads the report).
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../errors.ts';
import { datasetById, IMPORT_DATASETS } from '../../ingest/datasets/index.ts';
import { parsePairs } from '../../ingest/headers/mapping-store.ts';
import { checkImportAllowed } from '../../ingest/import-access.ts';
import { importUpload, MAX_UPLOAD_BYTES } from '../../ingest/import-upload.ts';
import { reportCsv } from '../../ingest/pipeline/report.ts';
import { encodingName } from '../../ingest/source/encoding.ts';
import { multipartFile } from '../../ingest/source/multipart.ts';
import { tooLarge } from '../../ingest/source/spool.ts';
import { getRun } from '../../ingest/runs.ts';

const RAW_TYPES = [
  'text/csv', 'text/plain', 'text/tab-separated-values', 'application/csv', 'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/octet-stream', 'multipart/form-data',
];

const importQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    workspace: { type: 'string', maxLength: 63 },
    dryRun: { type: 'string', enum: ['0', '1', 'true', 'false'], description: '1 → validate and report only' },
    onError: { type: 'string', enum: ['skip', 'abort'], default: 'skip', description: 'skip: import good rows and report bad ones; abort: import nothing if any row is bad' },
    store: { type: 'string', maxLength: 100, description: 'store for files without a store column (marketplace exports)' },
    dateOrder: { type: 'string', enum: ['mdy', 'dmy'], description: 'how to read 03/11/2026' },
    encoding: { type: 'string', maxLength: 20, description: 'utf8, gbk, gb18030, shift_jis (default: detected)' },
    delimiter: { type: 'string', enum: [',', ';', '\t', '|', 'tab'] },
    profile: { type: 'string', maxLength: 100, description: 'force a header profile id (template, lingxing_orders, workspace:<name>…)' },
    map: { type: 'string', maxLength: 4000, description: 'column=Header pairs separated by ";"' },
    set: { type: 'string', maxLength: 1000, description: 'column=value constants separated by ";"' },
    saveMapping: { type: 'string', maxLength: 60, description: 'save map/set under this name for later files' },
    source: { type: 'string', enum: ['erp_file', 'manual'], default: 'erp_file' },
    force: { type: 'string', enum: ['0', '1', 'true', 'false'], description: 'import even if this exact file was the last import' },
    filename: { type: 'string', maxLength: 200 },
  },
} as const;

const resultSchema = { type: 'object', additionalProperties: true, description: 'the import result: status, profile and confidence, counts, row issues, coverage' } as const;

const flag = (v: string | undefined) => v === '1' || v === 'true';

async function uploadOf(req: FastifyRequest, maxBytes: number): Promise<{ chunks: AsyncIterable<Buffer>; fileName?: string }> {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > maxBytes) throw tooLarge(maxBytes);
  const body = req.body as Readable | undefined;
  if (!body || typeof (body as Readable).pipe !== 'function') throw new AppError('invalid_request', 'send the file as the request body or as multipart "file"', { field: 'file' });
  if (String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    const f = await multipartFile(req.headers, body, maxBytes);
    return { chunks: f.stream, fileName: f.fileName };
  }
  return { chunks: body as AsyncIterable<Buffer> };
}

export async function importRoutes(app: FastifyInstance, opts: { database: Database; maxUploadBytes?: number }): Promise<void> {
  const maxBytes = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES;
  // Scoped to this plugin: everywhere else text/plain keeps Fastify's own parser and limit.
  app.removeContentTypeParser(['text/plain']);
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));

  app.post(
    '/imports/:dataset',
    {
      schema: {
        tags: ['data'],
        summary: 'Import a CSV or XLSX file into a dataset (raw body or multipart "file")',
        params: { type: 'object', required: ['dataset'], properties: { dataset: { type: 'string', enum: IMPORT_DATASETS } } },
        querystring: importQuery,
        response: { 200: resultSchema },
      },
    },
    async (req) => {
      const { dataset } = req.params as { dataset: string };
      const q = req.query as Record<string, string | undefined>;
      const principal = req.principal!;
      checkImportAllowed(principal, dataset);
      const def = datasetById(dataset);
      const upload = await uploadOf(req, maxBytes);
      const result = await importUpload(opts.database, upload.chunks, {
        workspaceId: principal.workspaceId, dataset: def.id, dryRun: flag(q.dryRun), onError: q.onError as 'skip' | 'abort' | undefined,
        store: q.store, dateOrder: q.dateOrder as 'mdy' | 'dmy' | undefined, encoding: q.encoding ? encodingName(q.encoding) : undefined,
        delimiter: q.delimiter === 'tab' ? '\t' : (q.delimiter as ',' | ';' | '\t' | '|' | undefined), profile: q.profile,
        map: q.map ? parsePairs(q.map, def, 'map') : undefined, set: q.set ? parsePairs(q.set, def, 'set') : undefined, saveMapping: q.saveMapping,
        source: (q.source as 'erp_file' | 'manual' | undefined) ?? 'erp_file', force: flag(q.force), fileName: q.filename ?? upload.fileName,
        requestedBy: principal.userId ?? principal.kind, principal, maxBytes,
      });
      return result;
    },
  );

  app.get(
    '/imports/runs/:id',
    {
      schema: {
        tags: ['data'],
        summary: 'One import or push run with its row report (format=csv downloads the report)',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } } },
        querystring: { type: 'object', additionalProperties: false, properties: { workspace: { type: 'string', maxLength: 63 }, format: { type: 'string', enum: ['json', 'csv'] } } },
      },
    },
    async (req, reply) => {
      const { id } = req.params as { id: number };
      const principal = req.principal!;
      const run = await getRun(opts.database, principal.workspaceId, id);
      if (!run) throw new AppError('not_found', `no run ${id} in this workspace`, { field: 'id' });
      if ((req.query as { format?: string }).format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${id}-report.csv"`);
        return reportCsv(run.issues);
      }
      return run;
    },
  );
}
