/**
 * Request bodies: read with a size limit (3 MiB, the API server's default
 * maximum request body) and decoded from JSON, or YAML for server-side apply
 * (`application/apply-patch+yaml`; a JSON document is valid YAML and is
 * parsed as JSON first, which is what kubectl and most clients send), or
 * protobuf for the kinds `protobuf.ts` knows.
 */
import { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { Json } from '../api/json';
import { StatusError, badRequest } from '../api/status';
import { PROTOBUF, decodeKubeProtobuf } from './protobuf';

const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The raw body, or undefined when the request has none. */
export function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StatusError(413, '', 'Request entity too large: limit is 3145728'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    request.on('error', reject);
  });
}

/** Decodes a body by its Content-Type; 400 when it does not parse. */
export function decodeBody(
  raw: Buffer | undefined,
  contentType: string | undefined,
): Json | undefined {
  if (!raw || raw.length === 0) return undefined;
  if ((contentType ?? '').startsWith(PROTOBUF)) return decodeKubeProtobuf(raw);
  const text = raw.toString('utf8');
  const yaml =
    (contentType ?? '').startsWith('application/apply-patch+yaml') ||
    (contentType ?? '').includes('yaml');
  try {
    return JSON.parse(text) as Json;
  } catch (jsonError) {
    if (!yaml) {
      throw badRequest(`error decoding request body: ${(jsonError as Error).message}`);
    }
  }
  try {
    return parseYaml(text) as Json;
  } catch (yamlError) {
    throw badRequest(`error converting YAML to JSON: ${(yamlError as Error).message}`);
  }
}
