/**
 * The `file` part of a multipart/form-data upload as a byte stream (busboy), with the size limit
 * applied while it streams. Other parts are ignored; a form without a `file` part is a 400.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../../errors.ts';
import { tooLarge } from './spool.ts';

export interface UploadedFile {
  fileName?: string;
  mimeType?: string;
  stream: AsyncIterable<Buffer>;
}

export function multipartFile(headers: IncomingHttpHeaders, body: Readable, maxBytes: number): Promise<UploadedFile> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, limits: { files: 1, fileSize: maxBytes, fields: 50, fieldSize: 64 * 1024 } });
    } catch (err) {
      reject(new AppError('invalid_request', `bad multipart body: ${(err as Error).message.slice(0, 100)}`, { field: 'file' }));
      return;
    }
    let found = false;
    bb.on('file', (name, file, info) => {
      if (name !== 'file' || found) {
        file.resume();
        return;
      }
      found = true;
      const out = new PassThrough();
      file.on('limit', () => out.destroy(tooLarge(maxBytes)));
      file.on('error', (e) => out.destroy(e));
      file.pipe(out);
      resolve({ fileName: info.filename, mimeType: info.mimeType, stream: out });
    });
    bb.on('error', (err) => (found ? undefined : reject(new AppError('invalid_request', `bad multipart body: ${(err as Error).message.slice(0, 100)}`, { field: 'file' }))));
    bb.on('close', () => {
      if (!found) reject(new AppError('invalid_request', 'the form has no "file" part', { field: 'file' }));
    });
    body.pipe(bb);
  });
}
