/**
 * Parameter sets from one Git file's parsed content in flat mode (Argo's
 * `generateParamsFromGitFile`, semantics.md §1.5), as a pure function.
 */
import { flattenToStrings } from './flatten';
import { filePathParams } from './path-params';

/** The content is neither a map, a list of maps, nor empty. */
export class FileShapeError extends Error {
  constructor(reason: string) {
    super(`unable to parse file: ${reason}`);
    this.name = 'FileShapeError';
  }
}

/**
 * One parameter set per object: an empty file or `null` is one empty object
 * (so one set with only path params), `[]` gives none, a list gives one set
 * per item. Each object is flattened (`a.b`, `list.0`, Go `%v` values), then
 * the path params are written over it. Throws FileShapeError for a scalar or
 * a list holding something other than maps.
 */
export function fileParamSets(
  filePath: string,
  content: unknown,
  pathParamPrefix?: string,
): Map<string, unknown>[] {
  const objects = objectsOf(content);
  const pathParams = filePathParams(filePath, pathParamPrefix);
  return objects.map((object) => {
    const params = new Map<string, unknown>(flattenToStrings(object));
    for (const [key, value] of pathParams) params.set(key, value);
    return params;
  });
}

function objectsOf(content: unknown): Record<string, unknown>[] {
  if (content === null || content === undefined) return [{}];
  if (isMap(content)) return [content];
  if (!Array.isArray(content)) {
    throw new FileShapeError(`expected a map or a list of maps, found ${kindOf(content)}`);
  }
  return content.map((item, i) => {
    if (item === null) return {};
    if (!isMap(item)) {
      throw new FileShapeError(`item ${i} of the list is ${kindOf(item)}, not a map`);
    }
    return item;
  });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}
