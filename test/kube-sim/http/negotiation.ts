/**
 * Content negotiation on the Accept header: the alternative representations
 * a Kubernetes client may ask for instead of plain JSON objects (server-side
 * printed Tables, PartialObjectMetadata). Pure functions.
 */

export type Representation = 'object' | 'table' | 'metadata';

interface MediaRange {
  readonly type: string;
  readonly params: ReadonlyMap<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((p) => p.trim());
    return {
      type,
      params: new Map(params.map((p) => p.split('=').map((s) => s.trim()) as [string, string])),
    };
  });
}

/**
 * The first representation of the Accept list the server offers:
 * `as=Table;g=meta.k8s.io;v=v1|v1beta1`, `as=PartialObjectMetadata[List]`, or
 * a plain object for `application/json`, `*\/*` and everything else.
 */
export function representation(accept: string | undefined): Representation {
  if (!accept) return 'object';
  for (const range of parseAccept(accept)) {
    const as = range.params.get('as');
    const group = range.params.get('g');
    if (!as) return 'object';
    if (group !== 'meta.k8s.io') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return 'metadata';
  }
  return 'object';
}

/** The Content-Type answered for a representation. */
export function contentTypeOf(rep: Representation): string {
  switch (rep) {
    case 'table':
      return 'application/json;as=Table;v=v1;g=meta.k8s.io';
    case 'metadata':
      return 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io';
    default:
      return 'application/json';
  }
}
