import { ApiException } from '@kubernetes/client-node';

/**
 * A one-line, credential-free description of a failed Kubernetes API call:
 * the HTTP status and the Status message, or the network error code.
 */
export function describeKubeError(error: unknown, timeoutMs?: number): string {
  if (error instanceof ApiException) {
    const body = parseStatus(error.body);
    const reason = body?.reason ? ` ${body.reason}` : '';
    const message = body?.message ? `: ${body.message}` : '';
    return `HTTP ${error.code}${reason}${message}`;
  }
  const err = error as {
    name?: string;
    code?: string;
    type?: string;
    message?: string;
    cause?: { code?: string };
  };
  if (err?.name === 'AbortError' || err?.type === 'aborted' || err?.name === 'TimeoutError') {
    return `timed out after ${timeoutMs ?? '?'} ms`;
  }
  const code = err?.code ?? err?.cause?.code;
  const text = (err?.message ?? String(error)).replace(/Bearer\s+\S+/gi, 'Bearer <redacted>');
  return code && !text.includes(code) ? `${code}: ${text}` : text;
}

function parseStatus(body: unknown): { reason?: string; message?: string } | undefined {
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return typeof body === 'object' && body !== null
    ? (body as { reason?: string; message?: string })
    : undefined;
}
