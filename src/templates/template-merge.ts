/**
 * Argo CD's `mergeGeneratorTemplate` (semantics.md §2.4) over JSON templates
 * (pure function): `mergo.Merge(generatorTemplate, spec.template)` without
 * override, i.e. the generator-level template wins and each of its empty
 * fields is filled from `spec.template`.
 */
import { ApplicationTemplate, PartialApplicationTemplate } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';

/**
 * Fields Argo holds as raw JSON (`runtime.RawExtension`): mergo treats them
 * as one value, so a generator's `valuesObject` replaces, never merges with,
 * the base one.
 */
const RAW_JSON_FIELDS = new Set(['valuesObject']);

/**
 * The template one generator renders with. Rules, as mergo applies them to
 * Argo's types: a field that is empty in the generator template (absent,
 * null, `""`, `0`, `false`, `[]`, `{}`) takes the base value; maps and
 * objects merge key by key; a non-empty list is kept whole (lists are not
 * merged); raw JSON fields are atomic. Neither input is modified.
 */
export function mergeGeneratorTemplate(
  generatorTemplate: PartialApplicationTemplate | undefined,
  base: ApplicationTemplate,
): ApplicationTemplate {
  if (generatorTemplate === undefined || generatorTemplate === null) return structuredClone(base);
  return fillEmpty(generatorTemplate, base, false) as ApplicationTemplate;
}

function fillEmpty(preferred: unknown, fallback: unknown, atomic: boolean): unknown {
  if (isEmpty(preferred)) return structuredClone(fallback);
  if (atomic || !isMap(preferred) || !isMap(fallback)) return structuredClone(preferred);
  const merged = new Map<string, unknown>();
  for (const key of new Set([...Object.keys(fallback), ...Object.keys(preferred)])) {
    merged.set(key, fillEmpty(own(preferred, key), own(fallback, key), RAW_JSON_FIELDS.has(key)));
  }
  return Object.fromEntries([...merged].filter(([, value]) => value !== undefined));
}

/** mergo's `isEmptyValue` for the JSON shapes a template can hold. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) {
    return true;
  }
  if (Array.isArray(value)) return value.length === 0;
  return isMap(value) && Object.keys(value).length === 0;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function own(map: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/**
 * Paths (`metadata.labels['a/b']`, `spec.sources[0].path`) of the non-empty
 * values and keys a generator-level template supplies, so that a warning on a
 * merged template can name the template the value came from.
 */
export function suppliedFieldPaths(generatorTemplate: unknown): Set<string> {
  const paths = new Set<string>();
  const visit = (value: unknown, path: string): void => {
    if (isEmpty(value)) return;
    if (path) paths.add(path);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, fieldPath(path, i)));
    else if (isMap(value)) {
      for (const [key, child] of Object.entries(value)) visit(child, fieldPath(path, key));
    }
  };
  visit(generatorTemplate, '');
  return paths;
}
