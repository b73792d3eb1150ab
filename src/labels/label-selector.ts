/**
 * Kubernetes label selectors as one pure module: the string syntax kubectl
 * and the API accept (`env=prod,region in (eu,us),!legacy`), the object form
 * of ApplicationSet generators (`matchLabels` / `matchExpressions`), and the
 * matcher that decides. SQL may pre-filter clusters; `matches` has the last word.
 */
import { FieldProblem, fieldPath } from '../common/field-problem';
import {
  Labels,
  hasLabel,
  isPlainObject,
  labelValueProblems,
  qualifiedNameProblems,
} from './label-rules';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

/** One ANDed condition. `=`/`==` parse to In with one value, `!=` to NotIn. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** Requirements that must all hold. The empty selector matches everything. */
export type Selector = readonly Requirement[];

/** The `metav1.LabelSelector` object form used by ApplicationSet generators. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A selector string that cannot be parsed, with the 0-based offset of the offending token. */
export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position})`);
    this.name = 'SelectorSyntaxError';
  }
}

/** True when every requirement holds for `labels` (pure function). */
export function matches(selector: Selector, labels: Labels): boolean {
  return selector.every((requirement) => requirementMatches(requirement, labels));
}

function requirementMatches({ key, operator, values }: Requirement, labels: Labels): boolean {
  const present = hasLabel(labels, key);
  switch (operator) {
    case 'In':
      return present && values.includes(labels[key]);
    case 'NotIn':
      return !present || !values.includes(labels[key]);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
    case 'Gt':
    case 'Lt': {
      if (!present) return false;
      const actual = parseInteger(labels[key]);
      const bound = parseInteger(values[0]);
      if (actual === undefined || bound === undefined) return false;
      return operator === 'Gt' ? actual > bound : actual < bound;
    }
  }
}

function parseInteger(value: string): bigint | undefined {
  return /^[+-]?\d+$/.test(value) ? BigInt(value) : undefined;
}

/** Renders a selector back to the string syntax; `parseSelector(formatSelector(s))` equals `s`. */
export function formatSelector(selector: Selector): string {
  return selector
    .map(({ key, operator, values }) => {
      switch (operator) {
        case 'Exists':
          return key;
        case 'DoesNotExist':
          return `!${key}`;
        case 'Gt':
          return `${key}>${values[0]}`;
        case 'Lt':
          return `${key}<${values[0]}`;
        case 'In':
          return values.length === 1 ? `${key}=${values[0]}` : `${key} in (${values.join(',')})`;
        case 'NotIn':
          return values.length === 1
            ? `${key}!=${values[0]}`
            : `${key} notin (${values.join(',')})`;
      }
    })
    .join(',');
}

// ---------------------------------------------------------------------------
// String syntax, after k8s.io/apimachinery/pkg/labels/selector.go.

type TokenKind =
  'identifier' | 'in' | 'notin' | '!' | '=' | '==' | '!=' | '>' | '<' | '(' | ')' | ',' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly position: number;
}

const SYMBOLS: readonly TokenKind[] = ['==', '!=', '=', '!', '>', '<', '(', ')', ','];
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => input.startsWith(s, i));
    if (symbol) {
      tokens.push({ kind: symbol, text: symbol, position: i });
      i += symbol.length;
      continue;
    }
    const start = i;
    while (i < input.length && !/\s/.test(input[i]) && !SPECIAL.has(input[i])) i++;
    const text = input.slice(start, i);
    const kind: TokenKind = text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'identifier';
    tokens.push({ kind, text, position: start });
  }
  tokens.push({ kind: 'end', text: 'end of string', position: input.length });
  return tokens;
}

/**
 * Parses the label-selector string syntax (`env=prod`, `env!=dev`,
 * `region in (eu,us)`, `tier notin (x)`, `gpu`, `!legacy`, `size>3`).
 * Keys must be qualified names and values label values, as the API server
 * demands. Throws SelectorSyntaxError pointing at the offending position.
 */
export function parseSelector(input: string): Selector {
  const tokens = tokenize(input);
  let index = 0;
  const peek = (): Token => tokens[index];
  const next = (): Token => tokens[index++];
  const fail = (token: Token, expected: string): never => {
    const found = token.kind === 'end' ? 'end of string' : `'${token.text}'`;
    throw new SelectorSyntaxError(`found ${found}, expected: ${expected}`, token.position);
  };

  const requirements: Requirement[] = [];
  if (peek().kind === 'end') return requirements;
  for (;;) {
    const first = peek();
    if (first.kind !== 'identifier' && first.kind !== '!') fail(first, "'!' or a label key");
    requirements.push(parseRequirement());
    const separator = next();
    if (separator.kind === 'end') return requirements;
    if (separator.kind !== ',') fail(separator, "',' or end of string");
    const after = peek();
    if (after.kind !== 'identifier' && after.kind !== '!') fail(after, "a requirement after ','");
  }

  function parseRequirement(): Requirement {
    if (peek().kind === '!') {
      next();
      const keyToken = next();
      if (keyToken.kind !== 'identifier') fail(keyToken, "a label key after '!'");
      return requirement(keyToken, 'DoesNotExist', []);
    }
    const keyToken = next();
    const op = peek();
    switch (op.kind) {
      case ',':
      case 'end':
        return requirement(keyToken, 'Exists', []);
      case '=':
      case '==':
      case '!=': {
        next();
        const value = parseExactValue();
        return requirement(keyToken, op.kind === '!=' ? 'NotIn' : 'In', [value]);
      }
      case '>':
      case '<': {
        next();
        const valueToken = next();
        if (valueToken.kind !== 'identifier' || parseInteger(valueToken.text) === undefined) {
          fail(valueToken, `an integer after '${op.text}'`);
        }
        return requirement(keyToken, op.kind === '>' ? 'Gt' : 'Lt', [valueToken.text]);
      }
      case 'in':
      case 'notin': {
        next();
        const values = parseValueList();
        if (values.length === 0) {
          throw new SelectorSyntaxError(
            `for '${op.kind}', the set of values cannot be empty`,
            op.position,
          );
        }
        return requirement(keyToken, op.kind === 'in' ? 'In' : 'NotIn', values);
      }
      default:
        return fail(op, "'=', '==', '!=', 'in', 'notin', '>', '<', ',' or end of string");
    }
  }

  function parseExactValue(): string {
    const token = peek();
    if (token.kind === ',' || token.kind === 'end') return '';
    if (token.kind === 'identifier' || token.kind === 'in' || token.kind === 'notin') {
      next();
      return checkValue(token);
    }
    return fail(token, 'a label value');
  }

  function parseValueList(): string[] {
    const open = next();
    if (open.kind !== '(') fail(open, "'('");
    const values: string[] = [];
    for (;;) {
      const token = peek();
      if (token.kind === ')') {
        next();
        // `a in (x,)` carries an empty value, as the API server reads it.
        if (values.length > 0 && tokens[index - 2].kind === ',') values.push('');
        return values;
      }
      if (token.kind === ',') {
        next();
        if (values.length === 0) values.push('');
        continue;
      }
      if (token.kind === 'identifier' || token.kind === 'in' || token.kind === 'notin') {
        next();
        values.push(checkValue(token));
        const after = peek();
        if (after.kind !== ',' && after.kind !== ')') fail(after, "',' or ')'");
        continue;
      }
      fail(token, "a label value, ',' or ')'");
    }
  }

  function checkValue(token: Token): string {
    const problems = labelValueProblems(token.text);
    if (problems.length > 0) {
      throw new SelectorSyntaxError(
        `invalid label value '${token.text}': ${problems[0]}`,
        token.position,
      );
    }
    return token.text;
  }

  function requirement(keyToken: Token, operator: SelectorOperator, values: string[]): Requirement {
    const problems = qualifiedNameProblems(keyToken.text);
    if (problems.length > 0) {
      throw new SelectorSyntaxError(
        `invalid label key '${keyToken.text}': ${problems[0]}`,
        keyToken.position,
      );
    }
    return { key: keyToken.text, operator, values: dedupe(values) };
  }
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)].sort();
}

// ---------------------------------------------------------------------------
// Object form (`matchLabels` / `matchExpressions`).

export interface LabelSelectorOptions {
  /**
   * Whether values must be valid label values. True for the cluster generator
   * (as `metav1.LabelSelectorAsSelector`); false for post-selectors, which Argo
   * lets match any string such as a URL.
   */
  readonly validateValues: boolean;
}

/**
 * Converts a LabelSelector object into requirements, or returns the problems
 * (each naming its field under `field`). Operators are the four the API knows:
 * In and NotIn need values, Exists and DoesNotExist must have none.
 */
export function selectorFromLabelSelector(
  input: unknown,
  field: string,
  options: LabelSelectorOptions = { validateValues: true },
): { selector: Selector; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const requirements: Requirement[] = [];
  if (input === undefined || input === null) return { selector: [], problems };
  if (!isPlainObject(input)) {
    return { selector: [], problems: [{ field, rule: 'type', message: 'must be an object' }] };
  }
  for (const extra of Object.keys(input).filter(
    (k) => k !== 'matchLabels' && k !== 'matchExpressions',
  )) {
    problems.push({
      field: fieldPath(field, extra),
      rule: 'unknown-field',
      message: 'unknown field; a label selector has only matchLabels and matchExpressions',
    });
  }

  const matchLabels = input.matchLabels;
  const labelsField = fieldPath(field, 'matchLabels');
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isPlainObject(matchLabels)) {
      problems.push({
        field: labelsField,
        rule: 'type',
        message: 'must be an object of label keys to values',
      });
    } else {
      for (const [key, value] of Object.entries(matchLabels)) {
        const at = fieldPath(labelsField, key);
        const keyProblems = qualifiedNameProblems(key);
        keyProblems.forEach((message) => problems.push({ field: at, rule: 'label-key', message }));
        if (typeof value !== 'string') {
          problems.push({ field: at, rule: 'type', message: 'must be a string' });
          continue;
        }
        if (options.validateValues) {
          labelValueProblems(value).forEach((message) =>
            problems.push({ field: at, rule: 'label-value', message }),
          );
        }
        requirements.push({ key, operator: 'In', values: [value] });
      }
    }
  }

  const expressions = input.matchExpressions;
  const expressionsField = fieldPath(field, 'matchExpressions');
  if (expressions !== undefined && expressions !== null) {
    if (!Array.isArray(expressions)) {
      problems.push({ field: expressionsField, rule: 'type', message: 'must be a list' });
    } else {
      expressions.forEach((expression: unknown, i) => {
        const at = fieldPath(expressionsField, i);
        const converted = expressionToRequirement(expression, at, options);
        problems.push(...converted.problems);
        if (converted.requirement) requirements.push(converted.requirement);
      });
    }
  }
  return { selector: problems.length === 0 ? requirements : [], problems };
}

const OBJECT_OPERATORS: Record<string, SelectorOperator> = {
  In: 'In',
  NotIn: 'NotIn',
  Exists: 'Exists',
  DoesNotExist: 'DoesNotExist',
};

function expressionToRequirement(
  expression: unknown,
  at: string,
  options: LabelSelectorOptions,
): { requirement?: Requirement; problems: FieldProblem[] } {
  if (!isPlainObject(expression)) {
    return {
      problems: [
        { field: at, rule: 'type', message: 'must be an object with key, operator and values' },
      ],
    };
  }
  const problems: FieldProblem[] = [];
  const { key, operator, values } = expression;
  for (const extra of Object.keys(expression).filter(
    (k) => !['key', 'operator', 'values'].includes(k),
  )) {
    problems.push({
      field: fieldPath(at, extra),
      rule: 'unknown-field',
      message: 'unknown field; expected key, operator, values',
    });
  }
  if (typeof key !== 'string') {
    problems.push({
      field: fieldPath(at, 'key'),
      rule: 'required',
      message: 'must be a label key',
    });
  } else {
    qualifiedNameProblems(key).forEach((message) =>
      problems.push({ field: fieldPath(at, 'key'), rule: 'label-key', message }),
    );
  }
  const op =
    typeof operator === 'string' && Object.prototype.hasOwnProperty.call(OBJECT_OPERATORS, operator)
      ? OBJECT_OPERATORS[operator]
      : undefined;
  if (!op) {
    problems.push({
      field: fieldPath(at, 'operator'),
      rule: 'enum',
      message: `${JSON.stringify(operator ?? null)} is not a valid selector operator; use In, NotIn, Exists or DoesNotExist`,
    });
  }
  const valuesField = fieldPath(at, 'values');
  let list: string[] = [];
  if (values !== undefined && values !== null) {
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
      problems.push({ field: valuesField, rule: 'type', message: 'must be a list of strings' });
    } else {
      list = values as string[];
    }
  }
  if (op === 'In' || op === 'NotIn') {
    if (list.length === 0) {
      problems.push({
        field: valuesField,
        rule: 'required',
        message: `must be non-empty when operator is ${op}`,
      });
    }
    if (options.validateValues) {
      list.forEach((value, i) =>
        labelValueProblems(value).forEach((message) =>
          problems.push({ field: fieldPath(valuesField, i), rule: 'label-value', message }),
        ),
      );
    }
  } else if (op && list.length > 0) {
    problems.push({
      field: valuesField,
      rule: 'forbidden',
      message: `may not be specified when operator is ${op}`,
    });
  }
  if (problems.length > 0 || !op || typeof key !== 'string') return { problems };
  return { requirement: { key, operator: op, values: dedupe(list) }, problems };
}

/** True when the selector has no requirements (selects everything). */
export function isEmptySelector(selector: Selector): boolean {
  return selector.length === 0;
}
