/**
 * Validation and normalisation of cluster credentials (pure functions).
 * Certificates and keys are accepted as PEM or as base64 of PEM (the
 * kubeconfig `*-data` form) and stored as PEM. Messages never echo a secret.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { FieldProblem, fieldPath } from '../common/field-problem';
import { isPlainObject } from '../labels/label-rules';

/** The secret part of a cluster registration, encrypted at rest as one JSON document. */
export interface ClusterCredentials {
  readonly bearerToken?: string;
  /** PEM client certificate (chain). */
  readonly clientCertificateData?: string;
  /** PEM private key matching `clientCertificateData`. */
  readonly clientKeyData?: string;
  /** PEM CA bundle used to verify the API server. */
  readonly caData?: string;
}

/** Names shown instead of credentials in every response. */
export type CredentialKind = 'bearerToken' | 'clientCertificate' | 'caData';

export interface ParsedCredentials {
  readonly credentials: ClusterCredentials;
  readonly insecureSkipTLSVerify: boolean;
}

const FIELDS = [
  'bearerToken',
  'clientCertificateData',
  'clientKeyData',
  'caData',
  'insecureSkipTLSVerify',
];
const MAX_SECRET_LENGTH = 64 * 1024;

/** Which kinds of credential a bundle holds, in a stable order. */
export function credentialKinds(credentials: ClusterCredentials): CredentialKind[] {
  const kinds: CredentialKind[] = [];
  if (credentials.bearerToken) kinds.push('bearerToken');
  if (credentials.clientCertificateData) kinds.push('clientCertificate');
  if (credentials.caData) kinds.push('caData');
  return kinds;
}

/** Validates a `credentials` object from a request; returns the normalised bundle or problems. */
export function parseCredentials(
  input: unknown,
  field: string,
): { value?: ParsedCredentials; problems: FieldProblem[] } {
  if (!isPlainObject(input)) {
    return { problems: [{ field, rule: 'type', message: 'must be an object' }] };
  }
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(input).filter((k) => !FIELDS.includes(k))) {
    problems.push({
      field: fieldPath(field, key),
      rule: 'unknown-field',
      message: `unknown field; expected one of ${FIELDS.join(', ')}`,
    });
  }
  const at = (key: string) => fieldPath(field, key);
  const credentials: { -readonly [K in keyof ClusterCredentials]: ClusterCredentials[K] } = {};

  const token = input.bearerToken;
  if (token !== undefined && token !== null) {
    if (
      typeof token !== 'string' ||
      token.length === 0 ||
      token.length > MAX_SECRET_LENGTH ||
      /\s/.test(token)
    ) {
      problems.push({
        field: at('bearerToken'),
        rule: 'bearer-token',
        message: `must be a non-empty string without whitespace, at most ${MAX_SECRET_LENGTH} characters`,
      });
    } else {
      credentials.bearerToken = token;
    }
  }

  const cert = pem(input.clientCertificateData, at('clientCertificateData'), problems);
  const key = pem(input.clientKeyData, at('clientKeyData'), problems);
  if (cert !== undefined || key !== undefined) {
    if (cert === undefined || key === undefined) {
      const missing = cert === undefined ? 'clientCertificateData' : 'clientKeyData';
      if (!problems.some((p) => p.field === at(missing))) {
        problems.push({
          field: at(missing),
          rule: 'required',
          message: 'a client certificate and its key must be given together',
        });
      }
    } else {
      const pair = checkCertificateAndKey(cert, key, at);
      problems.push(...pair);
      if (pair.length === 0) {
        credentials.clientCertificateData = cert;
        credentials.clientKeyData = key;
      }
    }
  }

  const ca = pem(input.caData, at('caData'), problems);
  if (ca !== undefined) {
    if (certificateProblem(ca))
      problems.push({
        field: at('caData'),
        rule: 'certificate',
        message: 'must be a PEM certificate (or its base64 encoding)',
      });
    else credentials.caData = ca;
  }

  const insecure = input.insecureSkipTLSVerify ?? false;
  if (typeof insecure !== 'boolean') {
    problems.push({
      field: at('insecureSkipTLSVerify'),
      rule: 'type',
      message: 'must be a boolean',
    });
  } else if (insecure && ca !== undefined) {
    // kubectl refuses the same combination: a CA is pointless when verification is off.
    problems.push({
      field: at('insecureSkipTLSVerify'),
      rule: 'conflict',
      message: 'cannot be true together with caData',
    });
  }
  if (problems.length > 0) return { problems };
  return { value: { credentials, insecureSkipTLSVerify: insecure === true }, problems };
}

/** Accepts PEM text or base64 of PEM; returns PEM, or records a problem. */
function pem(value: unknown, field: string, problems: FieldProblem[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SECRET_LENGTH) {
    problems.push({
      field,
      rule: 'type',
      message: `must be a non-empty PEM string (or its base64 encoding), at most ${MAX_SECRET_LENGTH} characters`,
    });
    return undefined;
  }
  if (value.includes('-----BEGIN ')) return value.trim() + '\n';
  const decoded = /^[A-Za-z0-9+/=\s]+$/.test(value)
    ? Buffer.from(value, 'base64').toString('utf8')
    : '';
  if (!decoded.includes('-----BEGIN ')) {
    problems.push({ field, rule: 'pem', message: 'must be PEM (-----BEGIN ...) or base64 of PEM' });
    return undefined;
  }
  return decoded.trim() + '\n';
}

function certificateProblem(pemText: string): boolean {
  try {
    new X509Certificate(pemText);
    return false;
  } catch {
    return true;
  }
}

function checkCertificateAndKey(
  cert: string,
  key: string,
  at: (k: string) => string,
): FieldProblem[] {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    return [
      {
        field: at('clientCertificateData'),
        rule: 'certificate',
        message: 'is not a valid PEM certificate',
      },
    ];
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return [
      {
        field: at('clientKeyData'),
        rule: 'private-key',
        message: 'is not a valid PEM private key',
      },
    ];
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    return [
      {
        field: at('clientKeyData'),
        rule: 'key-mismatch',
        message: 'does not match the public key of clientCertificateData',
      },
    ];
  }
  return [];
}
