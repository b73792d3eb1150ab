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
import { JqPath, parseJqPath } from '../../sync/diff/jq-parse';
import { selectedPaths } from '../../sync/diff/jq-path';
import { parsePointer, pointerPaths, withValuesOf } from '../../sync/diff/json-path';
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
    .filter((tokens): tokens is string[] => tokens !== undefined && tokens.length > 0);
  for (const key of rules.labels) pointers.push(['metadata', 'labels', key]);
  for (const key of rules.annotations) pointers.push(['metadata', 'annotations', key]);
  const expressions = applicable
    .flatMap((rule) => rule.jqPathExpressions ?? [])
    .map(parseJqPath)
    .filter((parsed): parsed is JqPath => typeof parsed !== 'string');
  const liveRoot = live as unknown as JsonValue;
  const desiredRoot = desired as unknown as JsonValue;
  return withValuesOf(desired, liveRoot, [
    ...pointers.map((tokens) => ({
      inTarget: pointerPaths(desiredRoot, tokens),
      inSource: pointerPaths(liveRoot, tokens),
      fixed: true,
    })),
    // What a jq path selects takes the live value; selected only in the generated one, it goes.
    ...expressions.map((expression) => ({
      inTarget: selectedPaths(expression, desiredRoot),
      inSource: selectedPaths(expression, liveRoot),
    })),
  ]);
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
