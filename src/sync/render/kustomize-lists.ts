/**
 * `spec.source.kustomize.components` and `patches`: appended to the
 * kustomization as `kustomize edit add component` and Argo's patch support
 * do (pure functions).
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';

type Doc = Record<string, unknown>;

/** Appends existing components; a missing one is a problem unless `ignoreMissingComponents`. */
export function addComponents(
  doc: Doc,
  opts: Record<string, unknown>,
  field: string,
  componentExists: (path: string) => boolean,
  problems: FieldProblem[],
): void {
  const value = opts.components;
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    problems.push({
      field: fieldPath(field, 'components'),
      rule: 'type',
      message: 'must be a list of paths',
    });
    return;
  }
  const components = Array.isArray(doc.components) ? [...(doc.components as unknown[])] : [];
  value.forEach((item, index) => {
    const at = fieldPath(fieldPath(field, 'components'), index);
    if (typeof item !== 'string' || !item) {
      problems.push({ field: at, rule: 'type', message: 'must be a path' });
    } else if (!componentExists(item)) {
      if (opts.ignoreMissingComponents !== true) {
        problems.push({
          field: at,
          rule: 'exists',
          message: `${JSON.stringify(item)} does not exist next to the kustomization; fix the path or set ignoreMissingComponents`,
        });
      }
    } else if (!components.includes(item)) {
      components.push(item);
    }
  });
  if (components.length > 0) doc.components = components;
}

/** Appends the patches, refusing one with neither `path` nor `patch`. */
export function addPatches(
  doc: Doc,
  value: unknown,
  field: string,
  problems: FieldProblem[],
): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    problems.push({ field, rule: 'type', message: 'must be a list of patches' });
    return;
  }
  const patches = Array.isArray(doc.patches) ? [...(doc.patches as unknown[])] : [];
  value.forEach((item, index) => {
    const patch = item as { path?: unknown; patch?: unknown };
    if (
      typeof patch !== 'object' ||
      patch === null ||
      (typeof patch.path !== 'string' && typeof patch.patch !== 'string')
    ) {
      problems.push({
        field: fieldPath(field, index),
        rule: 'patch',
        message: 'must set path or patch',
      });
      return;
    }
    patches.push(structuredClone(item));
  });
  if (patches.length > 0) doc.patches = patches;
}
