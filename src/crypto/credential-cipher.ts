/**
 * AES-256-GCM envelope for secrets at rest (cluster credentials). Each
 * ciphertext carries a format version and a key fingerprint, and is bound to
 * its owner through the GCM additional data (the row id), so credentials
 * copied from one cluster row to another do not decrypt (GHSA-3jfq-742w-xg8j
 * is the kind of mix-up this rules out).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError, DomainErrorCode } from '../common/domain-error';

const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + IV_BYTES + TAG_BYTES;

export class CredentialCipher {
  private readonly keyId: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the credential key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
  }

  /** Encrypts `plaintext` for the owner `boundTo` (e.g. a cluster id). */
  encrypt(plaintext: Buffer, boundTo: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), this.keyId, iv, cipher.getAuthTag(), body]);
  }

  /** Decrypts what `encrypt` produced for the same owner; fails loudly on any mismatch. */
  decrypt(ciphertext: Buffer, boundTo: string): Buffer {
    if (ciphertext.length < HEADER_BYTES || ciphertext[0] !== VERSION) {
      throw new DomainError(
        DomainErrorCode.Configuration,
        'stored credentials have an unknown format',
      );
    }
    const keyId = ciphertext.subarray(1, 1 + KEY_ID_BYTES);
    if (!keyId.equals(this.keyId)) {
      throw new DomainError(
        DomainErrorCode.Configuration,
        'stored credentials were encrypted with a different key; FLEETPLANE_ENCRYPTION_KEY (or the generated key file) has changed',
      );
    }
    const ivStart = 1 + KEY_ID_BYTES;
    const iv = ciphertext.subarray(ivStart, ivStart + IV_BYTES);
    const tag = ciphertext.subarray(ivStart + IV_BYTES, HEADER_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext.subarray(HEADER_BYTES)), decipher.final()]);
    } catch {
      throw new DomainError(
        DomainErrorCode.Configuration,
        'stored credentials failed authentication (tampered, or bound to another record)',
      );
    }
  }
}
