/**
 * JSON patch (RFC 6902, `application/json-patch+json`) with JSON pointers
 * (RFC 6901). Errors carry the wording of evanphx/json-patch; the API server
 * answers a patch that does not decode with a 400 naming the problem, and one
 * that fails while being applied with a 422 that does not. Pure function.
 */
import { Json, JsonMap, cloneJson, isJsonMap, jsonEqual } from '../api/json';

/** A patch that cannot be applied; `malformed` patches are a 400, failed operations a 422. */
export class JsonPatchError extends Error {
  constructor(
    message: string,
    readonly malformed: boolean,
  ) {
    super(message);
    this.name = 'JsonPatchError';
  }
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

/** Applies the operations in order to a copy of `document`. */
export function applyJsonPatch(document: Json, patch: Json): Json {
  if (!Array.isArray(patch)) {
    throw new JsonPatchError(
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      true,
    );
  }
  let doc = cloneJson(document);
  patch.forEach((raw, index) => {
    const op = parseOperation(raw, index);
    doc = applyOperation(doc, op);
  });
  return doc;
}

function parseOperation(raw: Json, index: number): Operation {
  // Only what does not decode as a list of objects is malformed (400); the
  // rest fails when the patch is applied (422), as evanphx/json-patch does.
  if (!isJsonMap(raw)) {
    throw new JsonPatchError(
      `json: cannot unmarshal ${Array.isArray(raw) ? 'array' : typeof raw} into Go value of type jsonpatch.Operation`,
      true,
    );
  }
  if (typeof raw.op !== 'string') {
    throw new JsonPatchError(`invalid operation at index ${index}: missing "op"`, false);
  }
  if (typeof raw.path !== 'string') {
    throw new JsonPatchError(`operation at index ${index} missing path`, false);
  }
  return {
    op: raw.op,
    path: raw.path,
    from: typeof raw.from === 'string' ? raw.from : undefined,
    value: raw.value,
  };
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new JsonPatchError(`invalid JSON pointer: "${path}"`, false);
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function applyOperation(doc: Json, op: Operation): Json {
  switch (op.op) {
    case 'add':
      return add(doc, pointer(op.path), requireValue(op), op.path);
    case 'remove':
      return remove(doc, pointer(op.path), op.path).doc;
    case 'replace': {
      const { doc: without } = remove(doc, pointer(op.path), op.path, 'replace');
      return add(without, pointer(op.path), requireValue(op), op.path);
    }
    case 'move': {
      const from = requireFrom(op);
      const { doc: without, removed } = remove(doc, pointer(from), from, 'move');
      return add(without, pointer(op.path), removed, op.path);
    }
    case 'copy': {
      const from = requireFrom(op);
      return add(doc, pointer(op.path), cloneJson(get(doc, pointer(from), from, 'copy')), op.path);
    }
    case 'test': {
      const actual = get(doc, pointer(op.path), op.path, 'test');
      if (!jsonEqual(actual, op.value ?? null)) {
        throw new JsonPatchError(`testing value ${op.path} failed: test failed`, false);
      }
      return doc;
    }
    default:
      throw new JsonPatchError(`Unexpected kind: ${op.op}`, false);
  }
}

function requireValue(op: Operation): Json {
  if (op.value === undefined) throw new JsonPatchError(`${op.op} operation missing value`, false);
  return op.value;
}

function requireFrom(op: Operation): string {
  if (op.from === undefined) throw new JsonPatchError(`${op.op} operation missing from`, false);
  return op.from;
}

function missing(operation: string, path: string): JsonPatchError {
  return new JsonPatchError(
    `${operation} operation does not apply: doc is missing path: "${path}": missing value`,
    false,
  );
}

function get(doc: Json, tokens: string[], path: string, operation: string): Json {
  let current: Json = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = Number(token);
      if (!/^\d+$/.test(token) || index >= current.length) throw missing(operation, path);
      current = current[index];
    } else if (isJsonMap(current) && Object.prototype.hasOwnProperty.call(current, token)) {
      current = current[token];
    } else {
      throw missing(operation, path);
    }
  }
  return current;
}

function add(doc: Json, tokens: string[], value: Json, path: string): Json {
  if (tokens.length === 0) return cloneJson(value);
  const parent = get(doc, tokens.slice(0, -1), path, 'add');
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!/^(\d+|-)$/.test(last) || index > parent.length) {
      throw new JsonPatchError(
        `add operation does not apply: doc is missing path: "${path}": Unable to access invalid index: ${last}`,
        false,
      );
    }
    parent.splice(index, 0, cloneJson(value));
  } else if (isJsonMap(parent)) {
    (parent as JsonMap)[last] = cloneJson(value);
  } else {
    throw missing('add', path);
  }
  return doc;
}

function remove(
  doc: Json,
  tokens: string[],
  path: string,
  operation = 'remove',
): { doc: Json; removed: Json } {
  if (tokens.length === 0) return { doc: null, removed: doc };
  const parent = get(doc, tokens.slice(0, -1), path, operation);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!/^\d+$/.test(last) || index >= parent.length) throw missing(operation, path);
    const [removed] = parent.splice(index, 1);
    return { doc, removed };
  }
  if (isJsonMap(parent) && Object.prototype.hasOwnProperty.call(parent, last)) {
    const removed = parent[last];
    delete parent[last];
    return { doc, removed };
  }
  throw missing(operation, path);
}
