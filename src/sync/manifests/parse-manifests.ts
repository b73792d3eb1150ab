/**
 * Turns the files of one rendered source into Kubernetes objects, or into
 * problems that name the file, document and line. All or nothing: when any
 * problem is found, `objects` is empty, because a partial manifest set must
 * never be applied, and above all never pruned against.
 *
 * Two modes, after Argo CD's repo-server (reposerver/repository/repository.go
 * `findManifests`):
 * - `directory`: files of a directory source. A `.json` file holds one object
 *   (a `List` kind for several). A YAML file that cannot be read as manifests
 *   and does not look like one (it lacks any of `apiVersion:`, `kind:`,
 *   `metadata:`) is skipped, as Argo skips unrelated YAML such as CI configs;
 *   a file containing the comment `# +argocd:skip-file-rendering` is skipped.
 * - `rendered`: the standard output of `kubectl kustomize` or `helm template`
 *   as one pseudo-file; every problem counts.
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { jsonSyntaxErrorOffset, lineOfOffset } from './json-syntax';
import { JsonValue, KubeObject, isJsonObject } from './kube-object';
import { ManifestLocation, ManifestProblem } from './manifest-problem';
import { splitYamlDocuments } from './yaml-documents';
import { MAX_NESTING_DEPTH, jsonNestingExceeds } from '../../common/nesting-depth';

/** A parsed object and where it was declared. */
export interface SourcedObject {
  readonly object: KubeObject;
  readonly origin: ManifestLocation;
}

/** A file left out on purpose, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: 'skip-file-rendering' | 'not-a-manifest';
}

/** The outcome of parsing: objects (empty when there are problems), problems, skipped files. */
export interface ParsedManifests {
  readonly objects: SourcedObject[];
  readonly problems: ManifestProblem[];
  readonly skipped: SkippedFile[];
}

export type ManifestMode = 'directory' | 'rendered';

const SKIP_DIRECTIVE = /#\s*\+argocd:skip-file-rendering/;
const MANIFEST_MARKERS = ['apiVersion:', 'kind:', 'metadata:'];

/**
 * Parses every file of a source (pure function). Files are read in byte-wise
 * path order so objects and problems come out in a stable order.
 */
export function parseManifestFiles(
  files: Readonly<Record<string, string>>,
  mode: ManifestMode = 'directory',
): ParsedManifests {
  const objects: SourcedObject[] = [];
  const problems: ManifestProblem[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of Object.keys(files).sort()) {
    const parsed = parseManifestFile(file, files[file], mode);
    objects.push(...parsed.objects);
    problems.push(...parsed.problems);
    skipped.push(...parsed.skipped);
  }
  return { objects: problems.length > 0 ? [] : objects, problems, skipped };
}

/** Parses a renderer's standard output, reported under `pseudoFile` (e.g. `kustomize build`). */
export function parseRenderedOutput(output: string, pseudoFile: string): ParsedManifests {
  return parseManifestFile(pseudoFile, output, 'rendered');
}

/** Parses one file; see the module comment for what each mode accepts (pure function). */
export function parseManifestFile(
  file: string,
  content: string,
  mode: ManifestMode,
): ParsedManifests {
  const isJson = mode === 'directory' && file.endsWith('.json');
  if (!isJson && mode === 'directory' && SKIP_DIRECTIVE.test(content)) {
    return { objects: [], problems: [], skipped: [{ file, reason: 'skip-file-rendering' }] };
  }
  const decoded = isJson ? decodeJsonFile(file, content) : decodeYamlFile(file, content);
  const objects = decoded.flatMap((d) => d.objects);
  const problems = decoded.flatMap((d) => d.problems);
  if (problems.length === 0) return { objects, problems, skipped: [] };
  const unrelatedYaml =
    mode === 'directory' &&
    !isJson &&
    objects.length === 0 &&
    decoded.every((d) => d.problems.length === 0 || d.notAManifest) &&
    !MANIFEST_MARKERS.every((marker) => content.includes(marker));
  if (unrelatedYaml)
    return { objects: [], problems: [], skipped: [{ file, reason: 'not-a-manifest' }] };
  return { objects: [], problems, skipped: [] };
}

interface DecodedDocument {
  objects: SourcedObject[];
  problems: ManifestProblem[];
  /** The document is not a Kubernetes object at all (unreadable, not a mapping, or no kind). */
  notAManifest: boolean;
}

function decodeYamlFile(file: string, content: string): DecodedDocument[] {
  return splitYamlDocuments(content).map((document): DecodedDocument => {
    const location = { file, document: document.index, line: document.line };
    if ('error' in document) {
      return {
        objects: [],
        problems: [
          problemAt(location, { field: '', rule: 'yaml-syntax', message: document.error }),
        ],
        notAManifest: true,
      };
    }
    if (document.value === null) return { objects: [], problems: [], notAManifest: false };
    return objectsFromValue(document.value, location);
  });
}

function decodeJsonFile(file: string, content: string): DecodedDocument[] {
  const location = { file, document: 1, line: 1 };
  let value: JsonValue;
  try {
    value = JSON.parse(content) as JsonValue;
  } catch {
    // Node's parser quotes the surrounding text (maybe a Secret) and gives no
    // position: locate the error with our own scanner instead.
    const offset = jsonSyntaxErrorOffset(content) ?? 0;
    const problem = problemAt(
      { ...location, line: lineOfOffset(content, offset) },
      { field: '', rule: 'json-syntax', message: 'the text is not valid JSON' },
    );
    return [{ objects: [], problems: [problem], notAManifest: true }];
  }
  if (jsonNestingExceeds(value)) {
    const problem = problemAt(location, {
      field: '',
      rule: 'nesting-depth',
      message: `the JSON nests deeper than ${MAX_NESTING_DEPTH} levels`,
    });
    return [{ objects: [], problems: [problem], notAManifest: true }];
  }
  return [objectsFromValue(value, location)];
}

/**
 * A decoded document as objects: one object, or the items of a `List` kind
 * (`v1/List`, `ConfigMapList`, ...) with `items: null` meaning none, as Argo
 * expands lists before applying.
 */
function objectsFromValue(value: JsonValue, location: ManifestLocation): DecodedDocument {
  if (!isJsonObject(value)) {
    const problem = problemAt(location, {
      field: '',
      rule: 'not-an-object',
      message: 'must be a mapping with apiVersion, kind and metadata',
    });
    return { objects: [], problems: [problem], notAManifest: true };
  }
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && 'items' in value) {
    return listItems(value, location);
  }
  const problems = objectProblems(value).map((p) => problemAt(location, p));
  const notAManifest = typeof kind !== 'string' || kind === '';
  if (problems.length > 0) return { objects: [], problems, notAManifest };
  return {
    objects: [{ object: value as unknown as KubeObject, origin: location }],
    problems,
    notAManifest,
  };
}

function listItems(list: Record<string, JsonValue>, location: ManifestLocation): DecodedDocument {
  const items = list.items;
  if (items === null) return { objects: [], problems: [], notAManifest: false };
  if (!Array.isArray(items)) {
    const problem = problemAt(location, {
      field: 'items',
      rule: 'type',
      message: 'must be a list of objects',
    });
    return { objects: [], problems: [problem], notAManifest: false };
  }
  const objects: SourcedObject[] = [];
  const problems: ManifestProblem[] = [];
  items.forEach((item, index) => {
    const at = { ...location, item: index };
    const itemProblems = isJsonObject(item)
      ? objectProblems(item)
      : [{ field: '', rule: 'not-an-object', message: 'a List item must be an object' }];
    problems.push(...itemProblems.map((p) => problemAt(at, p)));
    if (itemProblems.length === 0)
      objects.push({ object: item as unknown as KubeObject, origin: at });
  });
  return { objects: problems.length > 0 ? [] : objects, problems, notAManifest: false };
}

/** What the API server would refuse before looking at the kind: identity and metadata types. */
function objectProblems(value: Record<string, JsonValue>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const requireString = (field: string, actual: unknown) => {
    if (typeof actual !== 'string' || actual === '') {
      problems.push({
        field,
        rule: 'required',
        message: 'is required and must be a non-empty string',
      });
    }
  };
  requireString('apiVersion', value.apiVersion);
  requireString('kind', value.kind);
  const metadata = value.metadata;
  if (!isJsonObject(metadata)) {
    problems.push({
      field: 'metadata',
      rule: 'required',
      message: 'is required and must be an object',
    });
    return problems;
  }
  requireString('metadata.name', metadata.name);
  if (
    metadata.namespace !== undefined &&
    metadata.namespace !== null &&
    typeof metadata.namespace !== 'string'
  ) {
    problems.push({ field: 'metadata.namespace', rule: 'type', message: 'must be a string' });
  }
  for (const mapField of ['labels', 'annotations'] as const) {
    problems.push(...stringMapProblems(metadata[mapField], fieldPath('metadata', mapField)));
  }
  return problems;
}

function stringMapProblems(map: JsonValue | undefined, field: string): FieldProblem[] {
  if (map === undefined || map === null) return [];
  if (!isJsonObject(map)) return [{ field, rule: 'type', message: 'must be a map of strings' }];
  return Object.entries(map)
    .filter(([, value]) => typeof value !== 'string')
    .map(([key]) => ({
      field: fieldPath(field, key),
      rule: 'type',
      // The classic mistake is `argocd.argoproj.io/sync-wave: 1`: say how to fix it.
      message: 'must be a string; quote the value in YAML',
    }));
}

function problemAt(location: ManifestLocation, problem: FieldProblem): ManifestProblem {
  return { ...location, ...problem };
}
