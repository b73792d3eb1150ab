/**
 * One reason a piece of input was refused: which field (a JSON-path-like
 * location such as `labels['topology.kubernetes.io/zone']` or
 * `spec.generators[1].clusters.selector`), which rule it broke, and a sentence
 * a person can act on. Every validation in Fleetplane reports these, so the
 * HTTP edge can return them unchanged.
 */
export interface FieldProblem {
  readonly field: string;
  readonly rule: string;
  readonly message: string;
}

/** Joins a parent field path and a child key the way error messages print them. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}
