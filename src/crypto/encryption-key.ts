/**
 * Where the credential key comes from: FLEETPLANE_ENCRYPTION_KEY, or, in the
 * embedded single-node default, a key generated once and kept beside the data
 * (mode 0600). With an external database the key must be given explicitly so
 * every replica shares it (the configuration check enforces that).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DomainError, DomainErrorCode } from '../common/domain-error';

export const KEY_FILE_NAME = 'encryption.key';

export function resolveEncryptionKey(configured: Buffer | undefined, dataDir: string): Buffer {
  if (configured) return configured;
  const file = path.join(dataDir, KEY_FILE_NAME);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) {
    throw new DomainError(
      DomainErrorCode.Configuration,
      `${file} does not hold a 32-byte base64 key`,
    );
  }
  return key;
}
