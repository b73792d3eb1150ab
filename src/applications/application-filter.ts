/**
 * Filters of `GET /api/v1/applications` (pure functions): parsed from the
 * query string (each parameter at most once, as a string) and turned into
 * one SQL WHERE clause. A new filter (the sync engine's `sync` and `health`)
 * is one field, one parse line and one clause here.
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';
import { parseSelectorQuery } from '../common/http/selector-query';
import { Selector } from '../labels/label-selector';
import { selectorToSql } from '../clusters/cluster-selector.sql';

export interface ApplicationFilter {
  /** Name of the owning ApplicationSet. */
  readonly applicationSet?: string;
  /** Name of the destination cluster. */
  readonly cluster?: string;
  readonly project?: string;
  /** On the Application's labels. */
  readonly selector: Selector;
  /** `status.sync.status` (an Application never compared counts as Unknown). */
  readonly sync?: string;
  /** `status.health.status` (an Application never compared counts as Unknown). */
  readonly health?: string;
}

/** The words `sync` and `health` accept (semantics.md B3). */
const STATUS_FILTERS: Record<'sync' | 'health', readonly string[]> = {
  sync: ['Synced', 'OutOfSync', 'Unknown'],
  health: ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'],
};

/** Query parameters a list request may carry besides the filters. */
const PAGE_PARAMETERS = ['limit', 'continue'];
const TEXT_FILTERS = { applicationset: 'applicationSet', cluster: 'cluster', project: 'project' };

/** Reads the filters of a list request; every problem is a 400 naming the parameter. */
export function parseApplicationFilter(query: Record<string, unknown>): ApplicationFilter {
  const problems: FieldProblem[] = [];
  const known = [
    ...Object.keys(TEXT_FILTERS),
    ...Object.keys(STATUS_FILTERS),
    'selector',
    ...PAGE_PARAMETERS,
  ];
  for (const key of Object.keys(query)) {
    if (!known.includes(key))
      problems.push({
        field: key,
        rule: 'unknown-parameter',
        message: `unknown query parameter; expected one of ${known.join(', ')}`,
      });
  }
  const filter: Record<string, string> = {};
  for (const [param, field] of Object.entries(TEXT_FILTERS)) {
    const value = query[param];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') {
      problems.push({ field: param, rule: 'type', message: 'must be given once, as a string' });
    } else if (value.length > 253) {
      problems.push({
        field: param,
        rule: 'max-length',
        message: 'must be at most 253 characters',
      });
    } else filter[field] = value;
  }
  for (const [param, words] of Object.entries(STATUS_FILTERS)) {
    const value = query[param];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string' || !words.includes(value)) {
      problems.push({
        field: param,
        rule: 'enum',
        message: `must be one of ${words.join(', ')}`,
      });
    } else filter[param] = value;
  }
  if (problems.length > 0) {
    throw new DomainError(
      DomainErrorCode.BadRequest,
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  }
  return { ...filter, selector: parseSelectorQuery(query.selector) };
}

/**
 * The WHERE clause of `filter` over `applications a` joined with
 * `applicationsets s`, numbering placeholders from `firstParam`.
 */
export function applicationFilterSql(
  filter: ApplicationFilter,
  firstParam: number,
): { clause: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  if (filter.applicationSet !== undefined) clauses.push(`s.name = ${param(filter.applicationSet)}`);
  if (filter.cluster !== undefined) clauses.push(`a.cluster_name = ${param(filter.cluster)}`);
  if (filter.project !== undefined) clauses.push(`a.project = ${param(filter.project)}`);
  if (filter.sync !== undefined)
    clauses.push(`coalesce(a.status->'sync'->>'status', 'Unknown') = ${param(filter.sync)}`);
  if (filter.health !== undefined)
    clauses.push(`coalesce(a.status->'health'->>'status', 'Unknown') = ${param(filter.health)}`);
  const labels = selectorToSql(filter.selector, 'a.labels', firstParam + params.length);
  if (filter.selector.length > 0) {
    clauses.push(labels.clause);
    params.push(...labels.params);
  }
  return { clause: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}
