/**
 * Connector secrets at rest (ARCHITECTURE.md `SECRETS_KEY`): AES-256-GCM with a fresh 96-bit IV
 * per write, the workspace and connector id as associated data (a ciphertext copied onto another
 * connector's row does not decrypt), and the key's fingerprint in the envelope so a rotated or
 * wrong key is named in a clear error instead of a bare "unable to authenticate data".
 *
 * Envelope: `kb1.<key id>.<iv b64url>.<tag b64url>.<ciphertext b64url>`; the key id is the first
 * 8 hex digits of SHA-256("kpibot-key-id:" + key), which says which key wrote it without
 * revealing the key.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';

const VERSION = 'kb1';

/** The 32-byte AES key derived from SECRETS_KEY (≥ 32 characters, checked by config). */
function aesKey(secretsKey: string): Buffer {
  return createHash('sha256').update(`kpibot-connector-credentials:${secretsKey}`).digest();
}

export function keyId(secretsKey: string): string {
  return createHash('sha256').update(`kpibot-key-id:${secretsKey}`).digest('hex').slice(0, 8);
}

function requireKey(secretsKey: string | undefined): string {
  if (!secretsKey) throw new AppError('invalid_argument', 'SECRETS_KEY is not set: it is required once a connector has credentials (see README "Configuration")');
  return secretsKey;
}

const aad = (workspaceId: string, connectorId: string) => Buffer.from(`${workspaceId}\u0000${connectorId}`, 'utf8');

export function encryptCredentials(secretsKey: string | undefined, workspaceId: string, connectorId: string, credentials: Record<string, string>): string {
  const key = requireKey(secretsKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', aesKey(key), iv);
  cipher.setAAD(aad(workspaceId, connectorId));
  const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
  return [VERSION, keyId(key), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function decryptCredentials(secretsKey: string | undefined, workspaceId: string, connectorId: string, envelope: string | null): Record<string, string> {
  if (!envelope) return {};
  const key = requireKey(secretsKey);
  const parts = envelope.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new AppError('conflict', `the stored credentials of connector "${connectorId}" are in an unknown format: save them again`);
  const [, kid, iv, tag, body] = parts as [string, string, string, string, string];
  if (kid !== keyId(key)) {
    throw new AppError('conflict', `the credentials of connector "${connectorId}" were encrypted with key ${kid}, but SECRETS_KEY is key ${keyId(key)}: restore the old SECRETS_KEY or save the credentials again`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey(key), Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(workspaceId, connectorId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Record<string, string>;
  } catch {
    throw new AppError('conflict', `the stored credentials of connector "${connectorId}" do not decrypt (tampered with, or copied from another connector): save them again`);
  }
}
