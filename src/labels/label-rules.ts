/**
 * Kubernetes naming rules for label and annotation keys and label values,
 * as `k8s.io/apimachinery/pkg/util/validation` states them (pure functions).
 * Messages follow the API server's wording so users recognise them.
 */
import { FieldProblem, fieldPath } from '../common/field-problem';

export type Labels = Readonly<Record<string, string>>;

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_NAME_PART = 63;
const MAX_PREFIX = 253;
export const MAX_LABEL_VALUE_LENGTH = 63;
/** The API server's limit on all annotations of one object together. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Problems of a DNS-1123 subdomain (`example.com`), empty when valid. */
export function dnsSubdomainProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > MAX_PREFIX) problems.push(`must be no more than ${MAX_PREFIX} characters`);
  if (value.length === 0 || !value.split('.').every((part) => DNS1123_LABEL.test(part))) {
    problems.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')",
    );
  }
  return problems;
}

/**
 * Problems of a qualified name (`[prefix/]name`), the form of every label and
 * annotation key. Empty when valid.
 */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  let name: string;
  const problems: string[] = [];
  if (parts.length === 1) {
    name = parts[0];
  } else if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...dnsSubdomainProblems(prefix).map((p) => `prefix part ${p}`));
  } else {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc'), with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else {
    if (name.length > MAX_NAME_PART)
      problems.push(`name part must be no more than ${MAX_NAME_PART} characters`);
    if (!NAME_PART.test(name)) {
      problems.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc')",
      );
    }
  }
  return problems;
}

/** Problems of a label value (may be empty; at most 63 characters). Empty when valid. */
export function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > MAX_LABEL_VALUE_LENGTH) {
    problems.push(`must be no more than ${MAX_LABEL_VALUE_LENGTH} characters`);
  }
  if (value.length > 0 && !NAME_PART.test(value)) {
    problems.push(
      "a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345')",
    );
  }
  return problems;
}

/** Validates a label map; `field` is where it sits in the request (`labels`, `metadata.labels`). */
export function labelMapProblems(labels: unknown, field: string): FieldProblem[] {
  return mapProblems(labels, field, (key, value, at) => [
    ...qualifiedNameProblems(key).map((message) => ({ field: at, rule: 'label-key', message })),
    ...(typeof value === 'string'
      ? labelValueProblems(value).map((message) => ({ field: at, rule: 'label-value', message }))
      : [{ field: at, rule: 'label-value', message: 'must be a string' }]),
  ]);
}

/** Validates an annotation map: qualified-name keys, string values, 256 KiB in total. */
export function annotationMapProblems(annotations: unknown, field: string): FieldProblem[] {
  const problems = mapProblems(annotations, field, (key, value, at) => [
    ...qualifiedNameProblems(key).map((message) => ({
      field: at,
      rule: 'annotation-key',
      message,
    })),
    ...(typeof value === 'string'
      ? []
      : [{ field: at, rule: 'annotation-value', message: 'must be a string' }]),
  ]);
  if (problems.length === 0 && isPlainObject(annotations)) {
    const size = Object.entries(annotations).reduce(
      (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)),
      0,
    );
    if (size > MAX_ANNOTATIONS_BYTES) {
      problems.push({
        field,
        rule: 'annotations-size',
        message: `total annotation size must be no more than ${MAX_ANNOTATIONS_BYTES} bytes (is ${size})`,
      });
    }
  }
  return problems;
}

function mapProblems(
  map: unknown,
  field: string,
  check: (key: string, value: unknown, at: string) => FieldProblem[],
): FieldProblem[] {
  if (!isPlainObject(map)) {
    return [{ field, rule: 'type', message: 'must be an object of string keys to string values' }];
  }
  return Object.entries(map).flatMap(([key, value]) => check(key, value, fieldPath(field, key)));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup, so keys such as `constructor` or `__proto__` are just keys. */
export function hasLabel(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}
