/**
 * Fields an update must not touch (semantics.md §3, pure functions):
 * `spec.ignoreApplicationDifferences` JSON pointers and jq paths (for every
 * Application, or the one a rule names; jq as docs/sync-semantics.md reads
 * it) and `spec.preservedFields` label and annotation
 * keys keep the values the existing Application has. A typical use: pin
 * `/spec/source/targetRevision`, so a template change reaches new
 * Applications only. Argo CD strips the paths and sends a merge patch, which
 * loses an ignored field inside a list whenever anything else in that list
 * changes; copying the live value into the desired manifest keeps it always.
 */
import { Application } from '../../argo/application.types';
import { ApplicationSetSpec } from '../../argo/applicationset.types';
import { JqPath, parseJqPath, selectedPaths } from '../../sync/diff/jq-path';
import { withValuesOf } from '../../sync/diff/json-path';
import { JsonValue } from '../../sync/manifests/kube-object';

/** The rules of one ApplicationSet, or null when it has none (nothing to read or copy). */
export interface LiveValueRules {
  readonly ignore: NonNullable<ApplicationSetSpec['ignoreApplicationDifferences']>;
  readonly labels: readonly string[];
  readonly annotations: readonly string[];
}

/** The rules `spec` declares; null when there are none. */
export function liveValueRules(spec: ApplicationSetSpec): LiveValueRules | null {
  const ignore = (spec.ignoreApplicationDifferences ?? []).filter(
    (rule) => (rule.jsonPointers ?? []).length + (rule.jqPathExpressions ?? []).length > 0,
  );
  const labels = spec.preservedFields?.labels ?? [];
  const annotations = spec.preservedFields?.annotations ?? [];
  return ignore.length + labels.length + annotations.length > 0
    ? { ignore, labels, annotations }
    : null;
}

/**
 * `desired` with every ignored or preserved field set to its value in
 * `live` (removed where `live` has none). `desired` is not modified; it is
 * returned itself when nothing applies.
 */
export function keepLiveValues(
  desired: Application,
  live: Application,
  rules: LiveValueRules,
): Application {
  const name = desired.metadata.name;
  const applicable = rules.ignore.filter(
    (rule) => rule.name === undefined || rule.name === '' || rule.name === name,
  );
  const pointers = applicable
    .flatMap((rule) => rule.jsonPointers ?? [])
    .map(parsePointer)
    .filter((tokens): tokens is string[] => tokens !== null && tokens.length > 0);
  for (const key of rules.labels) pointers.push(['metadata', 'labels', key]);
  for (const key of rules.annotations) pointers.push(['metadata', 'annotations', key]);
  let result = desired;
  if (pointers.length > 0) {
    result = structuredClone(desired);
    for (const tokens of pointers) copyAt(result, live, tokens);
  }
  // What a jq path selects takes the live value; selected only in the generated one, it goes.
  const expressions = applicable
    .flatMap((rule) => rule.jqPathExpressions ?? [])
    .map(parseJqPath)
    .filter((parsed): parsed is JqPath => typeof parsed !== 'string');
  if (expressions.length === 0) return result;
  const liveRoot = live as unknown as JsonValue;
  const resultRoot = result as unknown as JsonValue;
  return withValuesOf(
    result,
    liveRoot,
    expressions.map((expression) => ({
      inTarget: selectedPaths(expression, resultRoot),
      inSource: selectedPaths(expression, liveRoot),
    })),
  );
}

/** Generated Applications with ignored and preserved fields set to their live values. */
export function withLiveValues(
  generated: readonly Application[],
  existing: readonly { name: string; manifest?: Application }[],
  rules: LiveValueRules,
): Application[] {
  const live = new Map(existing.map((e) => [e.name, e.manifest]));
  return generated.map((app) => {
    const current = live.get(app.metadata.name);
    return current ? keepLiveValues(app, current, rules) : app;
  });
}

/** RFC 6901 tokens of a pointer (`/a/b~1c` → `['a', 'b/c']`), or null when it is not one. */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

function copyAt(target: unknown, live: unknown, tokens: readonly string[]): void {
  const found = lookup(live, tokens);
  let node = target;
  for (let i = 0; i < tokens.length - 1; i++) {
    let next = child(node, tokens[i]);
    if (next === undefined) {
      // Nothing to create a path for when the live Application has no value either.
      if (!found.exists) return;
      if (!isContainer(node) || Array.isArray(node)) return;
      next = /^\d+$/.test(tokens[i + 1]) ? [] : {};
      (node as Record<string, unknown>)[tokens[i]] = next;
    }
    node = next;
  }
  const last = tokens[tokens.length - 1];
  if (!isContainer(node)) return;
  if (Array.isArray(node)) {
    const index = arrayIndex(last);
    if (index === null || index > node.length) return;
    if (found.exists) node[index] = structuredClone(found.value);
    else if (index < node.length) node.splice(index, 1);
    return;
  }
  if (found.exists) node[last] = structuredClone(found.value);
  else delete node[last];
}

function lookup(value: unknown, tokens: readonly string[]): { exists: boolean; value?: unknown } {
  let node = value;
  for (const token of tokens) {
    node = child(node, token);
    if (node === undefined) return { exists: false };
  }
  return { exists: true, value: node };
}

function child(node: unknown, token: string): unknown {
  if (Array.isArray(node)) {
    const index = arrayIndex(token);
    return index === null ? undefined : node[index];
  }
  if (isContainer(node) && Object.prototype.hasOwnProperty.call(node, token))
    return (node as Record<string, unknown>)[token];
  return undefined;
}

function arrayIndex(token: string): number | null {
  return /^(0|[1-9]\d*)$/.test(token) ? Number(token) : null;
}

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}
