import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CredentialCipher } from './credential-cipher';
import { resolveEncryptionKey } from './encryption-key';

describe(CredentialCipher.name, () => {
  const sut = new CredentialCipher(randomBytes(32));
  const secret = Buffer.from('{"bearerToken":"s3cr3t-token"}');

  it('round-trips and never leaves the plaintext in the ciphertext', () => {
    const sealed = sut.encrypt(secret, 'cluster-1');
    expect(sealed.includes(Buffer.from('s3cr3t-token'))).toBe(false);
    expect(sut.decrypt(sealed, 'cluster-1')).toEqual(secret);
  });

  it('uses a fresh nonce for every encryption', () => {
    expect(sut.encrypt(secret, 'c')).not.toEqual(sut.encrypt(secret, 'c'));
  });

  it('refuses ciphertext bound to another owner', () => {
    const sealed = sut.encrypt(secret, 'cluster-1');
    expect(() => sut.decrypt(sealed, 'cluster-2')).toThrow(/bound to another record/);
  });

  it('refuses tampered ciphertext', () => {
    const sealed = sut.encrypt(secret, 'c');
    sealed[sealed.length - 1] ^= 1;
    expect(() => sut.decrypt(sealed, 'c')).toThrow(/failed authentication/);
  });

  it('names a changed key instead of failing obscurely', () => {
    const sealed = sut.encrypt(secret, 'c');
    expect(() => new CredentialCipher(randomBytes(32)).decrypt(sealed, 'c')).toThrow(
      /different key/,
    );
  });
});

describe(resolveEncryptionKey.name, () => {
  it('generates a key once, 0600, and reuses it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fp-key-'));
    const first = resolveEncryptionKey(undefined, dir);
    const second = resolveEncryptionKey(undefined, dir);
    expect(first).toHaveLength(32);
    expect(second).toEqual(first);
    expect(fs.statSync(path.join(dir, 'encryption.key')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });

  it('prefers the configured key', () => {
    const key = randomBytes(32);
    expect(resolveEncryptionKey(key, '/nonexistent')).toBe(key);
  });
});
