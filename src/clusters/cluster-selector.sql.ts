/**
 * Translates label-selector requirements into a SQL pre-filter on a `jsonb`
 * labels column (pure function). Equality and existence use the GIN index
 * (`@>`, `?`). The translation is exact, but the pure `matches` still has the
 * last word on every row returned.
 */
import { Selector } from '../labels/label-selector';

export interface SqlFilter {
  /** A boolean SQL expression; `TRUE` for the empty selector. */
  readonly clause: string;
  readonly params: unknown[];
}

/** `firstParam` is the number of the first `$n` placeholder to use. */
export function selectorToSql(selector: Selector, column: string, firstParam = 1): SqlFilter {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const clauses = selector.map(({ key, operator, values }) => {
    switch (operator) {
      case 'In':
        return values.length === 1
          ? `${column} @> ${param(JSON.stringify({ [key]: values[0] }))}::jsonb`
          : `(${column} ->> ${param(key)}) = ANY(${param(values)}::text[])`;
      case 'NotIn':
        return `NOT coalesce((${column} ->> ${param(key)}) = ANY(${param(values)}::text[]), false)`;
      case 'Exists':
        return `${column} ? ${param(key)}`;
      case 'DoesNotExist':
        return `NOT (${column} ? ${param(key)})`;
      case 'Gt':
      case 'Lt': {
        const value = `(${column} ->> ${param(key)})`;
        const op = operator === 'Gt' ? '>' : '<';
        return `(CASE WHEN ${value} ~ '^[+-]?[0-9]+$' THEN ${value}::numeric ${op} ${param(values[0])}::numeric ELSE false END)`;
      }
    }
  });
  return { clause: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}
