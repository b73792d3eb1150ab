/**
 * `spec.source.kustomize` applied to a copy of the kustomization file, the
 * way Argo CD does it with `kustomize edit` (util/kustomize/kustomize.go)
 * before `kustomize build`; we edit the document ourselves because
 * `kubectl kustomize` has no `edit` command. Supported, with the file fields
 * `kustomize edit` writes:
 * - `namePrefix`, `nameSuffix`, `namespace` → set (`edit set nameprefix|namesuffix|namespace`);
 * - `images` → `images[]` entries by name (`edit set image`: `nginx:1.25`,
 *   `nginx=registry/nginx:1.25`, `nginx@sha256:…`, `nginx=registry/nginx`);
 * - `replicas` → `replicas[]` by name (`edit set replicas`);
 * - `commonLabels` → `commonLabels` (`edit add label`), or a `labels` entry
 *   without selectors when `labelWithoutSelector` (with `includeTemplates`
 *   when `labelIncludeTemplates`); an existing key is an error unless
 *   `forceCommonLabels`, as `edit add label` without `--force`;
 * - `commonAnnotations` → `commonAnnotations` (`edit add annotation`, same
 *   rule with `forceCommonAnnotations`);
 * - `components` → appended (`edit add component`), a missing one is an
 *   error unless `ignoreMissingComponents`;
 * - `patches` → appended to `patches`.
 * Refused with a clear error: `version` (one installed Kustomize renders
 * everything), `kubeVersion`/`apiVersions` (they only matter for Helm charts
 * inflated by Kustomize, which is not enabled), `commonAnnotationsEnvsubst`,
 * and any option Argo does not define. Pure functions.
 */
import { KustomizeSource } from '../../argo/application.types';
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { setImages } from './kustomize-images';
import { addComponents, addPatches } from './kustomize-lists';

type Doc = Record<string, unknown>;

/** The edited kustomization, or the problems that prevent the edit. */
export interface KustomizationEdit {
  readonly document: Doc;
  readonly problems: FieldProblem[];
}

const REFUSED: Readonly<Record<string, string>> = {
  version:
    'selects a Kustomize version, but Fleetplane renders with the one installed Kustomize; remove it',
  kubeVersion:
    'only affects Helm charts inflated by Kustomize, which Fleetplane does not enable; remove it',
  apiVersions:
    'only affects Helm charts inflated by Kustomize, which Fleetplane does not enable; remove it',
  commonAnnotationsEnvsubst: 'environment substitution in annotations is not supported; remove it',
};

const SUPPORTED = new Set([
  'namePrefix',
  'nameSuffix',
  'namespace',
  'images',
  'replicas',
  'commonLabels',
  'commonAnnotations',
  'forceCommonLabels',
  'forceCommonAnnotations',
  'labelWithoutSelector',
  'labelIncludeTemplates',
  'components',
  'ignoreMissingComponents',
  'patches',
]);

/** True for a value that asks for something (not absent, false, empty string, list or map). */
function meaningful(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return typeof value !== 'object' || Object.keys(value).length > 0;
}

/** True when the options ask for a change (otherwise the kustomization is used as it is). */
export function hasKustomizeEdits(options: KustomizeSource | undefined): boolean {
  return Object.values(options ?? {}).some(meaningful);
}

/**
 * Applies the options to a parsed kustomization (pure function; the input is
 * not changed). `componentExists` tells whether a component path exists
 * relative to the kustomization's directory.
 */
export function applyKustomizeOptions(
  kustomization: Doc,
  options: KustomizeSource | undefined,
  componentExists: (path: string) => boolean,
  field = 'spec.source.kustomize',
): KustomizationEdit {
  const problems: FieldProblem[] = [];
  const doc: Doc = structuredClone(kustomization);
  const opts = (options ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(opts)) {
    if (!meaningful(opts[key])) continue;
    if (REFUSED[key]) {
      problems.push({ field: fieldPath(field, key), rule: 'unsupported', message: REFUSED[key] });
    } else if (!SUPPORTED.has(key)) {
      problems.push({
        field: fieldPath(field, key),
        rule: 'unknown-option',
        message: 'is not a Kustomize option Argo CD defines',
      });
    }
  }
  const str = (key: string): string | undefined => {
    const value = opts[key];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    problems.push({ field: fieldPath(field, key), rule: 'type', message: 'must be a string' });
    return undefined;
  };
  for (const key of ['namePrefix', 'nameSuffix', 'namespace']) {
    const value = str(key);
    if (value !== undefined) doc[key] = value;
  }
  setImages(doc, opts.images, fieldPath(field, 'images'), problems);
  setReplicas(doc, opts.replicas, fieldPath(field, 'replicas'), problems);
  addPairs(doc, opts.commonLabels, fieldPath(field, 'commonLabels'), problems, {
    target: opts.labelWithoutSelector === true ? 'labels' : 'commonLabels',
    force: opts.forceCommonLabels === true,
    includeTemplates: opts.labelIncludeTemplates === true,
  });
  addPairs(doc, opts.commonAnnotations, fieldPath(field, 'commonAnnotations'), problems, {
    target: 'commonAnnotations',
    force: opts.forceCommonAnnotations === true,
    includeTemplates: false,
  });
  addComponents(doc, opts, field, componentExists, problems);
  addPatches(doc, opts.patches, fieldPath(field, 'patches'), problems);
  return { document: doc, problems };
}

function setReplicas(doc: Doc, value: unknown, field: string, problems: FieldProblem[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    problems.push({ field, rule: 'type', message: 'must be a list of {name, count}' });
    return;
  }
  const replicas = Array.isArray(doc.replicas) ? [...(doc.replicas as Doc[])] : [];
  value.forEach((item, index) => {
    const entry = item as { name?: unknown; count?: unknown };
    const count = typeof entry?.count === 'string' ? Number(entry.count) : entry?.count;
    if (
      typeof entry?.name !== 'string' ||
      !entry.name ||
      !Number.isSafeInteger(count) ||
      (count as number) < 0
    ) {
      problems.push({
        field: fieldPath(field, index),
        rule: 'replicas',
        message: 'must have a name and a count that is a whole number ≥ 0',
      });
      return;
    }
    const at = replicas.findIndex((r) => r?.name === entry.name);
    const next = { name: entry.name, count: count as number };
    if (at < 0) replicas.push(next);
    else replicas[at] = next;
  });
  if (replicas.length > 0) doc.replicas = replicas;
}

function addPairs(
  doc: Doc,
  value: unknown,
  field: string,
  problems: FieldProblem[],
  how: {
    target: 'commonLabels' | 'commonAnnotations' | 'labels';
    force: boolean;
    includeTemplates: boolean;
  },
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ field, rule: 'type', message: 'must be a map of strings' });
    return;
  }
  const pairs: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Doc)) {
    if (typeof item !== 'string') {
      problems.push({ field: fieldPath(field, key), rule: 'type', message: 'must be a string' });
      continue;
    }
    pairs[key] = item;
  }
  if (Object.keys(pairs).length === 0) return;
  const existing =
    how.target === 'labels'
      ? Object.assign(
          {},
          ...(Array.isArray(doc.labels) ? (doc.labels as Doc[]) : []).map(
            (l) => (l?.pairs as Doc) ?? {},
          ),
        )
      : ((doc[how.target] as Doc | undefined) ?? {});
  if (!how.force) {
    for (const key of Object.keys(pairs)) {
      if (Object.prototype.hasOwnProperty.call(existing, key)) {
        problems.push({
          field: fieldPath(field, key),
          rule: 'conflict',
          message: `is already set in the kustomization; set ${how.target === 'commonAnnotations' ? 'forceCommonAnnotations' : 'forceCommonLabels'} to override it`,
        });
      }
    }
  }
  if (how.target === 'labels') {
    const entry: Doc = { pairs, includeSelectors: false };
    if (how.includeTemplates) entry.includeTemplates = true;
    doc.labels = [...(Array.isArray(doc.labels) ? (doc.labels as Doc[]) : []), entry];
  } else {
    doc[how.target] = { ...existing, ...pairs };
  }
}
