/**
 * Writing answers: JSON bodies with the API server's headers, Status errors,
 * and the alternative representations of GET results (Table,
 * PartialObjectMetadata) a client negotiated.
 */
import { ServerResponse } from 'node:http';
import { Json, JsonMap, isJsonMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { StatusError } from '../api/status';
import { toTable } from '../discovery/table-printers';
import { Representation, contentTypeOf } from './negotiation';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: Json,
  contentType = 'application/json',
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendStatusError(res: ServerResponse, error: StatusError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, error.code, error.toStatus(), 'application/json', { ...error.headers });
}

function partialObject(object: KubeObject): JsonMap {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/**
 * A GET result (object or list) in the negotiated representation. `items` of
 * typed lists lack TypeMeta, which tables and metadata do not need.
 */
export function represent(
  body: Json,
  rep: Representation,
  type: ResourceType,
  options: { now: Date; includeObject: string },
): { body: Json; contentType: string } {
  if (rep === 'object' || !isJsonMap(body)) return { body, contentType: contentTypeOf('object') };
  const metadata = isJsonMap(body.metadata) ? body.metadata : {};
  const isList = Array.isArray(body.items);
  const objects = (isList ? (body.items as KubeObject[]) : [body as KubeObject]).map((o) =>
    isJsonMap(o.metadata) ? o : ({ ...o, metadata: {} } as KubeObject),
  );
  if (rep === 'metadata') {
    const out = isList
      ? {
          kind: 'PartialObjectMetadataList',
          apiVersion: 'meta.k8s.io/v1',
          metadata,
          items: objects.map(partialObject),
        }
      : partialObject(objects[0]);
    return { body: out, contentType: contentTypeOf('metadata') };
  }
  const table = toTable(type, objects, {
    now: options.now,
    resourceVersion: String(metadata.resourceVersion ?? ''),
    withColumns: true,
    includeObject: options.includeObject,
  });
  if (isList && metadata.continue) (table.metadata as JsonMap).continue = metadata.continue;
  return { body: table, contentType: contentTypeOf('table') };
}
