/**
 * Authenticity checks of Git push webhooks, done on the raw body before any
 * parsing (GO-2024-3002: crafted payloads crashed Argo CD's parser).
 * Constant-time comparisons; pure functions.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. */
export function validGithubSignature(
  secret: string,
  body: Buffer,
  header: string | undefined,
): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GitLab: `X-Gitlab-Token` equals the configured token. */
export function validGitlabToken(token: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(token, 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
