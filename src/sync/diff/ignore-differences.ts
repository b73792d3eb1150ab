/**
 * `spec.ignoreDifferences` (pure functions): fields of chosen resources that
 * do not count in the comparison, as Argo CD's: a rule matches by `kind`
 * (required), `group`, `name` and `namespace`, and names fields with
 * `jsonPointers` (RFC 6901) or `jqPathExpressions`. Those fields are left
 * out of both sides before diffing, so an HPA's replicas or a webhook's
 * injected `caBundle` do not make the Application OutOfSync; with
 * `RespectIgnoreDifferences=true` a sync also keeps their live values.
 *
 * jq is a language; what users write here are paths narrowed by `select`
 * (jq-path.ts says which), e.g.
 * `.spec.template.spec.containers[] | select(.name | startswith("istio-"))`.
 * Anything else is refused by name (`ignoreDifferencesProblems`) instead of
 * ignoring nothing. `managedFieldsManagers` names field managers whose
 * fields in the live object do not count where the two sides differ (an
 * HPA's `kube-controller-manager`, see managed-fields.ts).
 */
import { FieldProblem } from '../../common/field-problem';
import { isPlainObject } from '../../labels/label-rules';
import { JsonPath, JsonValue, KubeObject, ObjectRef, refOf } from '../manifests/kube-object';
import { ResourceDiff, diffResource } from './diff-resources';
import { parseJqPath } from './jq-parse';
import { selectedPaths } from './jq-path';
import { parsePointer, pointerPaths, removePath, sortForRemoval, withValuesOf } from './json-path';
import { ownedDifferences } from './managed-fields';

/** One compiled rule. */
export interface IgnoreRule {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Each finds the concrete paths it names in an object. */
  readonly paths: readonly PathFinder[];
  /** Field managers whose differing fields do not count (`managedFieldsManagers`). */
  readonly managers: readonly string[];
}

/** Finds the concrete paths one pointer or jq expression names in an object. */
interface PathFinder {
  readonly find: (value: JsonValue) => JsonPath[];
  /** A JSON pointer: the same place in every object. */
  readonly fixed: boolean;
}

/** The rules of `spec.ignoreDifferences`, skipping entries `ignoreDifferencesProblems` refuses. */
export function compileIgnoreDifferences(spec: unknown): IgnoreRule[] {
  if (!Array.isArray(spec)) return [];
  const rules: IgnoreRule[] = [];
  for (const entry of spec) {
    if (!isPlainObject(entry) || typeof entry.kind !== 'string') continue;
    const paths: PathFinder[] = [];
    for (const pointer of stringList(entry.jsonPointers)) {
      const tokens = parsePointer(pointer);
      if (tokens?.length) paths.push({ find: (value) => pointerPaths(value, tokens), fixed: true });
    }
    for (const expression of stringList(entry.jqPathExpressions)) {
      const parsed = parseJqPath(expression);
      if (typeof parsed !== 'string') {
        paths.push({ find: (value) => selectedPaths(parsed, value), fixed: false });
      }
    }
    rules.push({
      kind: entry.kind,
      ...(typeof entry.group === 'string' ? { group: entry.group } : {}),
      ...(typeof entry.name === 'string' && entry.name ? { name: entry.name } : {}),
      ...(typeof entry.namespace === 'string' && entry.namespace
        ? { namespace: entry.namespace }
        : {}),
      paths,
      managers: stringList(entry.managedFieldsManagers),
    });
  }
  return rules;
}

/**
 * What `compileIgnoreDifferences` cannot honour, named by field: a JSON
 * pointer that does not start with `/`, a jq expression outside the path
 * subset, a manager that is not a name.
 */
export function ignoreDifferencesProblems(
  spec: unknown,
  at = 'spec.ignoreDifferences',
): FieldProblem[] {
  if (!Array.isArray(spec)) return [];
  const problems: FieldProblem[] = [];
  spec.forEach((entry, index) => {
    if (!isPlainObject(entry)) return;
    const field = `${at}[${index}]`;
    stringList(entry.jsonPointers).forEach((pointer, i) => {
      if (!parsePointer(pointer)?.length) {
        problems.push({
          field: `${field}.jsonPointers[${i}]`,
          rule: 'json-pointer',
          message: `"${pointer}" is not a JSON pointer (RFC 6901: "/spec/replicas", "/metadata/annotations/a~1b")`,
        });
      }
    });
    stringList(entry.jqPathExpressions).forEach((expression, i) => {
      const parsed = parseJqPath(expression);
      if (typeof parsed === 'string') {
        problems.push({
          field: `${field}.jqPathExpressions[${i}]`,
          rule: 'jq-path',
          message: `${parsed}; Fleetplane reads jq paths (.a.b, .a["k"], .a[0], .a[]) narrowed by select(...) with comparisons, and/or/not, startswith, endswith, contains, has, length`,
        });
      }
    });
    stringList(entry.managedFieldsManagers).forEach((manager, i) => {
      if (manager.trim() === '') {
        problems.push({
          field: `${field}.managedFieldsManagers[${i}]`,
          rule: 'non-empty',
          message: 'must name a field manager (as metadata.managedFields[].manager shows it)',
        });
      }
    });
  });
  return problems;
}

/** The rules that apply to `ref` (Argo: kind and group must match, name and namespace when set). */
export function rulesFor(rules: readonly IgnoreRule[], ref: ObjectRef): IgnoreRule[] {
  return rules.filter(
    (rule) =>
      rule.kind === ref.kind &&
      (rule.group === undefined || rule.group === ref.group) &&
      (rule.name === undefined || rule.name === ref.name) &&
      (rule.namespace === undefined || rule.namespace === ref.namespace),
  );
}

/**
 * `diffResource` without the fields `ignore` names for this resource (on both
 * sides: a field only one side has is no difference either).
 */
export function diffIgnoring(
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
  ignore: readonly IgnoreRule[],
): ResourceDiff {
  const rules = ignore.length > 0 && desired && live ? rulesFor(ignore, refOf(desired)) : [];
  if (rules.length === 0) return diffResource(desired, live);
  const wanted = withoutIgnored(desired!, rules);
  const actual = withoutIgnored(live!, rules);
  const owned = ownedDifferences(wanted, actual, managersOf(rules));
  if (owned.length === 0) return diffResource(wanted, actual);
  return diffResource(
    withoutPaths(
      wanted,
      owned.map((field) => field.desired),
    ),
    withoutPaths(
      actual,
      owned.map((field) => field.live),
    ),
  );
}

/** Every concrete path the rules name in `object`. */
export function ignoredPaths(rules: readonly IgnoreRule[], object: KubeObject): JsonPath[] {
  const root = object as unknown as JsonValue;
  return rules.flatMap((rule) => rule.paths.flatMap((finder) => finder.find(root)));
}

/** `object` without the fields the rules name (a copy; `object` is not changed). */
export function withoutIgnored(object: KubeObject, rules: readonly IgnoreRule[]): KubeObject {
  if (rules.length === 0) return object;
  return withoutPaths(object, ignoredPaths(rules, object));
}

/** `object` without `paths` (a copy when there are any). */
function withoutPaths(object: KubeObject, paths: readonly JsonPath[]): KubeObject {
  if (paths.length === 0) return object;
  const copy = structuredClone(object) as unknown as JsonValue;
  // Later array elements first, so removing one does not move the next.
  for (const path of sortForRemoval(paths)) removePath(copy, path);
  return copy as unknown as KubeObject;
}

function managersOf(rules: readonly IgnoreRule[]): string[] {
  return [...new Set(rules.flatMap((rule) => rule.managers))];
}

/**
 * `desired` with the ignored fields as `live` has them
 * (`RespectIgnoreDifferences=true`): a field the rules name in the live
 * object takes its live value, one they name only in the desired object is
 * left out, so a sync never reverts what the rules ignore.
 */
export function withIgnoredFromLive(
  desired: KubeObject,
  live: KubeObject,
  rules: readonly IgnoreRule[],
): KubeObject {
  if (rules.length === 0) return desired;
  const liveRoot = live as unknown as JsonValue;
  const desiredRoot = desired as unknown as JsonValue;
  const result = withValuesOf(
    desired,
    liveRoot,
    rules.flatMap((rule) =>
      rule.paths.map((finder) => ({
        inTarget: finder.find(desiredRoot),
        inSource: finder.find(liveRoot),
        fixed: finder.fixed,
      })),
    ),
  );
  // A field another manager owns and changed keeps its live value too (found after the paths
  // above: their removals may have moved list items).
  return withValuesOf(
    result,
    liveRoot,
    ownedDifferences(result, live, managersOf(rules)).map((field) => ({
      inTarget: [field.desired],
      inSource: [field.live],
    })),
  );
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
