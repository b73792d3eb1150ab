/**
 * The `path` parameters of the Git generators in flat mode (semantics.md
 * §1.4, §1.5; Argo's `generateParamsFromApps`, `generateParamsFromGitFile`),
 * as pure functions returning entries in a fixed order.
 */
import { normalize } from '../templates';

/** `path`, or `<prefix>.path` when `pathParamPrefix` is set. */
function pathKey(prefix: string | undefined): string {
  return prefix ? `${prefix}.path` : 'path';
}

/** `path[N]` for every non-empty `/`-separated segment. */
function segmentParams(key: string, path: string): [string, string][] {
  return path
    .split('/')
    .flatMap((segment, i): [string, string][] => (segment ? [[`${key}[${i}]`, segment]] : []));
}

/** Go's `path.Base` for a clean relative path: the last segment (`.` for `.`). */
export function goPathBase(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || '.';
}

/** Go's `path.Dir` for a clean relative file path: `.` for a root file. */
export function goPathDir(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '.' : path.slice(0, slash);
}

/** Params of a matched directory: `path`, `path.basename`, `path.basenameNormalized`, `path[N]`. */
export function directoryPathParams(directory: string, prefix?: string): [string, string][] {
  const key = pathKey(prefix);
  const basename = goPathBase(directory);
  return [
    [key, directory],
    [`${key}.basename`, basename],
    [`${key}.basenameNormalized`, normalize(basename)],
    ...segmentParams(key, directory),
  ];
}

/**
 * Params of a matched file: `path` (its directory, `.` at the root),
 * `path.basename`, `path.filename`, `path.basenameNormalized`,
 * `path.filenameNormalized`, `path[N]` (a root file has `path[0] = "."`).
 */
export function filePathParams(file: string, prefix?: string): [string, string][] {
  const key = pathKey(prefix);
  const directory = goPathDir(file);
  const basename = goPathBase(directory);
  const filename = goPathBase(file);
  return [
    [key, directory],
    [`${key}.basename`, basename],
    [`${key}.filename`, filename],
    [`${key}.basenameNormalized`, normalize(basename)],
    [`${key}.filenameNormalized`, normalize(filename)],
    ...segmentParams(key, directory),
  ];
}
