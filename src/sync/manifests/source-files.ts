/**
 * Which renderer a source needs, and which files of a plain directory source
 * are manifests. Both follow Argo CD's repo-server: source-type discovery in
 * util/app/discovery/discovery.go, file selection in
 * reposerver/repository/repository.go `findManifests`.
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { ApplicationSource, DirectorySource } from '../../argo/application.types';
import { compileGlob, globMatches } from './glob';

/** How a source is rendered. */
export type SourceType = 'directory' | 'kustomize' | 'helm';

/** File names that make a directory a Kustomize source (kustomize's own list). */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * The renderer for a source, from its explicit settings or, when it has none,
 * from the files directly in its path (`topLevelFiles`, relative names; deeper
 * paths are ignored, as Argo only looks at the path itself).
 *
 * - `chart` set (a chart from a Helm repository), or `helm` set → Helm;
 *   `kustomize` set → Kustomize; `directory` set → directory. Two of them set
 *   is an error, as Argo's `ExplicitType` ("multiple application sources
 *   defined"). `plugin` is refused: config-management plugins are not supported.
 * - Otherwise a kustomization file → Kustomize; else a file whose name ends in
 *   `Chart.yaml` → Helm (Argo tests the suffix, and Kustomize wins when both
 *   are present); else a plain directory.
 */
export function detectSourceType(
  source: ApplicationSource,
  topLevelFiles: readonly string[],
  field = 'spec.source',
): { type: SourceType } | { problem: FieldProblem } {
  if (source.plugin !== undefined && source.plugin !== null) {
    return {
      problem: {
        field: fieldPath(field, 'plugin'),
        rule: 'unsupported',
        message:
          'config management plugins are not supported; render with Helm, Kustomize or plain manifests',
      },
    };
  }
  const explicit: [string, SourceType][] = [];
  if (source.kustomize !== undefined && source.kustomize !== null)
    explicit.push(['Kustomize', 'kustomize']);
  if ((source.helm !== undefined && source.helm !== null) || source.chart)
    explicit.push(['Helm', 'helm']);
  if (source.directory !== undefined && source.directory !== null)
    explicit.push(['Directory', 'directory']);
  if (explicit.length > 1) {
    return {
      problem: {
        field,
        rule: 'single-source-type',
        message: `multiple application sources defined: ${explicit.map(([name]) => name).join(', ')}; set only one of helm, kustomize, directory`,
      },
    };
  }
  if (explicit.length === 1) return { type: explicit[0][1] };
  const names = topLevelFiles.filter((path) => !path.includes('/'));
  if (names.some((name) => KUSTOMIZATION_FILE_NAMES.includes(name))) return { type: 'kustomize' };
  if (names.some((name) => name.endsWith('Chart.yaml'))) return { type: 'helm' };
  return { type: 'directory' };
}

const MANIFEST_FILE = /\.(yaml|yml|json)$/;

/** The manifest files of a directory source, sorted, or the problems of its settings. */
export interface FileSelection {
  readonly files: string[];
  readonly problems: FieldProblem[];
}

/**
 * Selects the manifest files of a plain directory source (pure function).
 * `paths` are the source's files relative to its path (`app.yaml`,
 * `sub/cm.yml`). A file counts when its name ends in `.yaml`, `.yml` or
 * `.json` (case-sensitive, as Argo); it lies directly in the path unless
 * `recurse` is set; it matches no `exclude` glob and, when `include` is
 * set, matches `include`; globs see the whole relative path (see glob.ts).
 * Hidden files and directories count like any other, as in Argo; only
 * `.git/` is never read. A `.jsonnet` file that passes the filters is an
 * error: Jsonnet is not supported and must not be silently dropped.
 */
export function selectManifestFiles(
  paths: readonly string[],
  directory: DirectorySource | undefined,
  field = 'spec.source.directory',
): FileSelection {
  const problems: FieldProblem[] = [];
  const include = compilePattern(directory?.include, fieldPath(field, 'include'), problems);
  const exclude = compilePattern(directory?.exclude, fieldPath(field, 'exclude'), problems);
  if (problems.length > 0) return { files: [], problems };
  const files: string[] = [];
  for (const raw of paths) {
    const path = raw.replace(/^(\.\/)+/, '');
    const segments = path.split('/');
    if (segments.includes('.git') || segments.includes('..') || path.startsWith('/')) continue;
    if (!directory?.recurse && segments.length > 1) continue;
    const isJsonnet = path.endsWith('.jsonnet');
    if (!MANIFEST_FILE.test(path) && !isJsonnet) continue;
    if (exclude && globMatches(exclude, path)) continue;
    if (include && !globMatches(include, path)) continue;
    if (isJsonnet) {
      problems.push({
        field,
        rule: 'unsupported',
        message: `${path}: Jsonnet is not supported; exclude the file or render it to YAML`,
      });
      continue;
    }
    files.push(path);
  }
  return { files: problems.length > 0 ? [] : files.sort(), problems };
}

function compilePattern(
  pattern: string | undefined,
  field: string,
  problems: FieldProblem[],
): { regex: RegExp } | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  const compiled = compileGlob(pattern);
  if ('error' in compiled) {
    problems.push({
      field,
      rule: 'glob',
      message: `is not a valid glob pattern: ${compiled.error}`,
    });
    return undefined;
  }
  return compiled;
}
