import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from '../../src/logger.ts';

function capture(): { stream: Writable; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      buf += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => buf };
}

describe('logger redaction', () => {
  it('censors secrets at the top level and nested, keeps the rest', () => {
    const out = capture();
    const log = pino(loggerOptions({ logLevel: 'info', prettyLogs: false }), out.stream);
    log.info(
      {
        token: 'tok-top-1',
        req: { headers: { authorization: 'Bearer kpb_secret_value', 'x-slack-signature': 'v0=abc', host: 'h1' } },
        config: { botToken: 'xoxb-999', signingSecret: 'sig-888', port: 3000 },
        slack: { client: { appSecret: 'deep-777' } },
      },
      'hello',
    );
    const line = out.text();
    for (const secret of ['tok-top-1', 'kpb_secret_value', 'v0=abc', 'xoxb-999', 'sig-888', 'deep-777']) {
      expect(line).not.toContain(secret);
    }
    const parsed = JSON.parse(line);
    expect(parsed.req.headers.host).toBe('h1');
    expect(parsed.config.port).toBe(3000);
    expect(parsed.config.botToken).toBe('[redacted]');
  });
});
