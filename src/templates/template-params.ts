/**
 * Parameters a template is rendered against: in flat mode a map of flat keys
 * (`metadata.labels.env`, `path[0]`) to values. Generators emit strings, but a
 * List generator's `elementsYaml` items and `flatList` clusters carry other
 * JSON values, which plain tags never substitute (semantics.md §2.1).
 */
export type TemplateParams = Readonly<Record<string, unknown>>;

/** Own-property lookup, so keys such as `constructor` or `__proto__` are just keys. */
export function paramValue(params: TemplateParams, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(params, key) ? params[key] : undefined;
}

/** True when `params` has `key` as an own property (whatever its value). */
export function hasParam(params: TemplateParams, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(params, key);
}
