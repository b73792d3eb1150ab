/**
 * The building blocks of the ApplicationSet schema: a context collecting
 * problems and warnings, type checks that report a path and a rule, and a
 * reader that walks one object field by field and refuses the fields nobody
 * read (Kubernetes strict field validation: a misspelt field would otherwise
 * silently change behaviour).
 *
 * Readers build the typed value as they check it. When the context holds
 * problems the built value is incomplete and callers must not use it.
 */
import { FieldProblem, fieldPath } from '../../../common/field-problem';
import { isPlainObject } from '../../../labels';
import { isTemplated } from './templating';

/** Collects what one document's validation found. */
export class SchemaContext {
  readonly problems: FieldProblem[] = [];
  readonly warnings: FieldProblem[] = [];

  problem(field: string, rule: string, message: string): void {
    this.problems.push({ field, rule, message });
  }

  warn(field: string, rule: string, message: string): void {
    this.warnings.push({ field, rule, message });
  }

  addProblems(problems: readonly FieldProblem[]): void {
    this.problems.push(...problems);
  }
}

/** How a value is named in messages: `a string`, `a number (3)`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
    case 'boolean':
      return `a ${typeof value} (${String(value)})`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function typeProblem(ctx: SchemaContext, field: string, expected: string, value: unknown): void {
  const hint = isTemplated(value)
    ? `; only string fields can be templated (semantics.md §2)`
    : typeof value === 'number' || typeof value === 'boolean'
      ? expected.startsWith('a string')
        ? '; quote it'
        : ''
      : '';
  ctx.problem(field, 'type', `must be ${expected}, found ${describeValue(value)}${hint}`);
}

export interface StringRules {
  /** The empty string is refused. */
  readonly nonEmpty?: boolean;
  /** False refuses `{{…}}`; such fields are read before any rendering. Default true. */
  readonly templatable?: boolean;
  /** The accepted values (never templatable). */
  readonly oneOf?: readonly string[];
}

/** Checks a string value against `rules`; undefined (and a problem) when it is not one. */
export function checkString(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  rules: StringRules = {},
): string | undefined {
  if (typeof value !== 'string') {
    typeProblem(ctx, field, 'a string', value);
    return undefined;
  }
  if (rules.oneOf && !rules.oneOf.includes(value)) {
    ctx.problem(
      field,
      'enum',
      `must be one of ${rules.oneOf.join(', ')}; found ${JSON.stringify(value)}`,
    );
  } else if (rules.templatable === false && isTemplated(value)) {
    ctx.problem(field, 'templated', 'cannot be templated: it is read before any rendering');
  } else if (rules.nonEmpty && value.trim() === '') {
    ctx.problem(field, 'required', 'must not be empty');
  }
  return value;
}

/** Checks a boolean; `"true"` (a string) is refused, as the API server does. */
export function checkBoolean(
  ctx: SchemaContext,
  value: unknown,
  field: string,
): boolean | undefined {
  if (typeof value === 'boolean') return value;
  typeProblem(ctx, field, 'a boolean (true or false)', value);
  return undefined;
}

/** Checks an integer, optionally not below `min`. */
export function checkInteger(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  min?: number,
): number | undefined {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    typeProblem(ctx, field, 'an integer', value);
    return undefined;
  }
  if (min !== undefined && value < min) {
    ctx.problem(field, 'minimum', `must be at least ${min}; found ${value}`);
  }
  return value;
}

/** Checks a list and each item with `readItem`, which reports its own problems. */
export function checkList<T>(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  readItem: (item: unknown, itemField: string, index: number) => T | undefined,
): T[] | undefined {
  if (!Array.isArray(value)) {
    typeProblem(ctx, field, 'a list', value);
    return undefined;
  }
  return value.flatMap((item, index) => {
    const read = readItem(item, fieldPath(field, index), index);
    return read === undefined ? [] : [read];
  });
}

/** Checks a list of strings. */
export function checkStringList(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  rules: StringRules = {},
): string[] | undefined {
  return checkList(ctx, value, field, (item, itemField) =>
    checkString(ctx, item, itemField, rules),
  );
}

/** Checks an object whose values are all strings (keys are free). */
export function checkStringMap(
  ctx: SchemaContext,
  value: unknown,
  field: string,
): Record<string, string> | undefined {
  if (!isPlainObject(value)) {
    typeProblem(ctx, field, 'an object of strings', value);
    return undefined;
  }
  const entries = Object.entries(value).filter(([key, item]) => {
    if (typeof item === 'string') return true;
    typeProblem(ctx, fieldPath(field, key), 'a string', item);
    return false;
  });
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Options of fields read through FieldReader. */
export interface FieldRules {
  /** Missing (or null) is a problem. */
  readonly required?: boolean;
}

/** Drops undefined properties, so built values compare and serialise cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Reads one object field by field. Every field a caller reads, marks as
 * unsupported or as ignored becomes known; `finish()` reports the others.
 * `null` counts as absent, as it does for Kubernetes optional fields.
 */
export class FieldReader {
  private readonly known = new Set<string>();

  private constructor(
    readonly ctx: SchemaContext,
    private readonly fields: Readonly<Record<string, unknown>>,
    readonly field: string,
  ) {}

  /** A reader for `value`, or undefined (and a problem) when it is not an object. */
  static open(ctx: SchemaContext, value: unknown, field: string): FieldReader | undefined {
    if (!isPlainObject(value)) {
      typeProblem(ctx, field, 'an object', value);
      return undefined;
    }
    return new FieldReader(ctx, value, field);
  }

  /** The printed path of a field of this object. */
  at(key: string): string {
    return fieldPath(this.field, key);
  }

  /** True when the field is present and not null. Does not make it known. */
  has(key: string): boolean {
    return this.rawValue(key) !== undefined;
  }

  /** Marks the field as known and returns its value (undefined when absent or null). */
  take(key: string, rules: FieldRules = {}): unknown {
    this.known.add(key);
    const value = this.rawValue(key);
    if (value === undefined && rules.required) {
      this.ctx.problem(this.at(key), 'required', `${key} is required`);
    }
    return value;
  }

  string(key: string, rules: StringRules & FieldRules = {}): string | undefined {
    const value = this.take(key, rules);
    return value === undefined ? undefined : checkString(this.ctx, value, this.at(key), rules);
  }

  boolean(key: string): boolean | undefined {
    const value = this.take(key);
    return value === undefined ? undefined : checkBoolean(this.ctx, value, this.at(key));
  }

  integer(key: string, min?: number): number | undefined {
    const value = this.take(key);
    return value === undefined ? undefined : checkInteger(this.ctx, value, this.at(key), min);
  }

  stringList(key: string, rules: StringRules & FieldRules = {}): string[] | undefined {
    const value = this.take(key, rules);
    return value === undefined ? undefined : checkStringList(this.ctx, value, this.at(key), rules);
  }

  stringMap(key: string): Record<string, string> | undefined {
    const value = this.take(key);
    return value === undefined ? undefined : checkStringMap(this.ctx, value, this.at(key));
  }

  /** Reads a present field with `read`, which checks the raw value itself. */
  value<T>(
    key: string,
    read: (value: unknown, field: string) => T | undefined,
    rules: FieldRules = {},
  ): T | undefined {
    const value = this.take(key, rules);
    return value === undefined ? undefined : read(value, this.at(key));
  }

  /** Reads a nested object with `read`; undefined when absent or not an object. */
  object<T>(key: string, read: (reader: FieldReader) => T, rules: FieldRules = {}): T | undefined {
    const value = this.take(key, rules);
    if (value === undefined) return undefined;
    const reader = FieldReader.open(this.ctx, value, this.at(key));
    if (!reader) return undefined;
    const result = read(reader);
    reader.finish();
    return result;
  }

  /** Reads a list; each item is read by `readItem`. */
  list<T>(
    key: string,
    readItem: (item: unknown, itemField: string, index: number) => T | undefined,
    rules: FieldRules = {},
  ): T[] | undefined {
    const value = this.take(key, rules);
    return value === undefined ? undefined : checkList(this.ctx, value, this.at(key), readItem);
  }

  /** A field Argo CD knows but Fleetplane does not implement: present is a problem. */
  unsupported(key: string, message: string): void {
    if (this.take(key) !== undefined) this.ctx.problem(this.at(key), 'unsupported', message);
  }

  /** A field that has no effect: present is a warning, so it is not silently dropped. */
  ignored(key: string, message: string): void {
    if (this.take(key) !== undefined) this.ctx.warn(this.at(key), 'ignored', message);
  }

  /** Reports every field that was not read: unknown fields are errors. */
  finish(): void {
    for (const key of Object.keys(this.fields)) {
      if (this.known.has(key)) continue;
      this.ctx.problem(
        this.at(key),
        'unknown-field',
        `unknown field ${JSON.stringify(key)}; known fields here: ${[...this.known].join(', ')}`,
      );
    }
  }

  private rawValue(key: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(this.fields, key)) return undefined;
    const value = this.fields[key];
    return value === null ? undefined : value;
  }
}
