/**
 * Parses the bodies of `POST .../sync` and `POST .../rollback` and the
 * query of `DELETE` (pure functions). Every problem names its field; unknown fields are refused
 * rather than silently ignored (a misspelt `prune` must not mean "no prune").
 * An absent or empty body means the defaults.
 */
import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import { FieldProblem } from '../../../common/field-problem';
import { revisionProblems } from '../../../git/git-input-rules';
import { isPlainObject } from '../../../labels/label-rules';

/**
 * The revision of one of an Application's `spec.sources`, the source named by
 * its 1-based position or by its `name` (as Argo CD's `sourcePositions` and
 * `sourceNames`).
 */
export type SourceRevision =
  | { readonly position: number; readonly revision: string }
  | { readonly name: string; readonly revision: string };

/** Which revision to use instead of the target revision(s), if any. */
export interface RevisionChoice {
  /** Branch, tag or commit for an Application with one source. */
  readonly revision?: string;
  /**
   * For an Application with `spec.sources`: branch, tag or commit per source,
   * at `sourcePositions` or `sourceNames`, or one per source in order when
   * neither is given.
   */
  readonly revisions?: readonly SourceRevision[];
}

/** `POST /api/v1/applications/{name}/sync`. */
export interface SyncRequest extends RevisionChoice {
  readonly prune: boolean;
  readonly dryRun: boolean;
  /** Let prune delete every resource (Argo's `allowEmpty`). */
  readonly allowEmpty: boolean;
}

/** `POST /api/v1/applications/{name}/rollback`. */
export interface RollbackRequest {
  /** History id to deploy again; absent: the deployment before the current one. */
  readonly id?: number;
  readonly prune: boolean;
  readonly dryRun: boolean;
}

const REVISION_FIELDS = ['revision', 'revisions', 'sourcePositions', 'sourceNames'];
const SYNC_FIELDS = [...REVISION_FIELDS, 'prune', 'dryRun', 'allowEmpty'];
const ROLLBACK_FIELDS = ['id', 'prune', 'dryRun'];

export function parseSyncRequest(body: unknown): SyncRequest {
  const input = objectBody(body);
  const problems = unknownFields(input, SYNC_FIELDS);
  const choice = revisionChoice(input, problems);
  const prune = flag(input, 'prune', problems);
  const dryRun = flag(input, 'dryRun', problems);
  const allowEmpty = flag(input, 'allowEmpty', problems);
  if (problems.length > 0) throw DomainError.invalid(problems);
  return { ...choice, prune, dryRun, allowEmpty };
}

/**
 * The query of `GET .../diff`: `revision`, or `revisions` with
 * `sourcePositions` or `sourceNames`, each repeated as the list needs
 * (`?revisions=v1&sourcePositions=2`).
 */
export function parseDiffQuery(query: Record<string, unknown>): RevisionChoice {
  const problems = unknownFields(query, REVISION_FIELDS);
  const list = (value: unknown) => (value === undefined || Array.isArray(value) ? value : [value]);
  const positions = list(query.sourcePositions) as unknown[] | undefined;
  const choice = revisionChoice(
    {
      // `?revision=` with nothing after it asks for nothing in particular, as its absence does.
      revision: query.revision === '' ? undefined : query.revision,
      revisions: list(query.revisions),
      // A query holds text: a whole number stands for a position, anything else is refused as one.
      sourcePositions: positions?.map((item) =>
        typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item,
      ),
      sourceNames: list(query.sourceNames),
    },
    problems,
  );
  if (problems.length > 0) throw DomainError.invalid(problems);
  return choice;
}

function revisionChoice(input: Record<string, unknown>, problems: FieldProblem[]): RevisionChoice {
  let revision: string | undefined;
  if (input.revision !== undefined && input.revision !== null) {
    if (typeof input.revision !== 'string' || input.revision.trim() === '') {
      problems.push({
        field: 'revision',
        rule: 'type',
        message: 'must be a non-empty string (a branch, tag or commit SHA)',
      });
    } else {
      problems.push(...revisionProblems(input.revision, 'revision'));
      revision = input.revision;
    }
  }
  const revisions = perSourceRevisions(input, problems);
  if (revision !== undefined && revisions !== undefined) {
    problems.push({
      field: 'revisions',
      rule: 'exclusive',
      message: 'give revision (one source) or revisions (spec.sources), not both',
    });
  }
  return {
    ...(revision !== undefined ? { revision } : {}),
    ...(revisions !== undefined ? { revisions } : {}),
  };
}

/**
 * `revisions` with their `sourcePositions` (1-based) or `sourceNames`
 * (absent: 1, 2, ... in order).
 */
function perSourceRevisions(
  input: Record<string, unknown>,
  problems: FieldProblem[],
): RevisionChoice['revisions'] {
  const { revisions, sourcePositions, sourceNames } = input;
  const present = (value: unknown) => value !== undefined && value !== null;
  if (!present(revisions)) {
    for (const [field, what] of [
      ['sourcePositions', 'position'],
      ['sourceNames', 'name'],
    ]) {
      if (present(input[field])) {
        problems.push({
          field,
          rule: 'requires',
          message: `needs revisions: one revision per ${what}`,
        });
      }
    }
    return undefined;
  }
  if (present(sourcePositions) && present(sourceNames)) {
    problems.push({
      field: 'sourceNames',
      rule: 'exclusive',
      message: 'give sourcePositions or sourceNames, not both',
    });
    return undefined;
  }
  if (!Array.isArray(revisions) || revisions.length === 0) {
    problems.push({
      field: 'revisions',
      rule: 'type',
      message: 'must be a non-empty list of branches, tags or commit SHAs',
    });
    return undefined;
  }
  const before = problems.length;
  revisions.forEach((item, index) => {
    const field = `revisions[${index}]`;
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push({ field, rule: 'type', message: 'must be a non-empty string' });
    } else {
      problems.push(...revisionProblems(item, field));
    }
  });
  let positions: number[] = revisions.map((_, index) => index + 1);
  if (present(sourcePositions)) {
    const given = perRevisionList<number>(
      sourcePositions,
      'sourcePositions',
      revisions.length,
      'source position',
      (position) =>
        typeof position === 'number' && Number.isSafeInteger(position) && position >= 1
          ? undefined
          : 'must be a source position: a whole number from 1 (the first of spec.sources)',
      problems,
    );
    if (!given) return undefined;
    positions = given;
  }
  let names: string[] | undefined;
  if (present(sourceNames)) {
    names = perRevisionList<string>(
      sourceNames,
      'sourceNames',
      revisions.length,
      'source name',
      (name) =>
        typeof name === 'string' && name.trim() !== ''
          ? undefined
          : 'must be the name of one of spec.sources (its name field)',
      problems,
    );
    if (!names) return undefined;
  }
  if (problems.length > before) return undefined;
  return revisions.map((revision, index) =>
    names
      ? { name: names[index], revision: revision as string }
      : { position: positions[index], revision: revision as string },
  );
}

/**
 * A list given beside `revisions` (`sourcePositions`, `sourceNames`): one
 * item per revision, each accepted by `itemProblem` (which says what is wrong
 * otherwise), none twice. Undefined, with the problems named, otherwise.
 */
function perRevisionList<T>(
  value: unknown,
  field: string,
  count: number,
  what: string,
  itemProblem: (item: unknown) => string | undefined,
  problems: FieldProblem[],
): T[] | undefined {
  if (!Array.isArray(value) || value.length !== count) {
    problems.push({
      field,
      rule: 'length',
      message: `must be a list of ${count} ${what}(s), one per revision`,
    });
    return undefined;
  }
  const before = problems.length;
  value.forEach((item: unknown, index) => {
    const message = itemProblem(item);
    if (message) {
      problems.push({ field: `${field}[${index}]`, rule: 'type', message });
    } else if (value.indexOf(item) !== index) {
      problems.push({
        field: `${field}[${index}]`,
        rule: 'unique',
        message: `${what} ${JSON.stringify(item)} is given twice`,
      });
    }
  });
  return problems.length > before ? undefined : (value as T[]);
}

export function parseRollbackRequest(body: unknown): RollbackRequest {
  const input = objectBody(body);
  const problems = unknownFields(input, ROLLBACK_FIELDS);
  let id: number | undefined;
  if (input.id !== undefined && input.id !== null) {
    if (typeof input.id !== 'number' || !Number.isSafeInteger(input.id) || input.id < 0) {
      problems.push({
        field: 'id',
        rule: 'history-id',
        message: 'must be the id of a history entry: a whole number of at least 0',
      });
    } else {
      id = input.id;
    }
  }
  const prune = flag(input, 'prune', problems);
  const dryRun = flag(input, 'dryRun', problems);
  if (problems.length > 0) throw DomainError.invalid(problems);
  return { ...(id !== undefined ? { id } : {}), prune, dryRun };
}

/** `DELETE /api/v1/applications/{name}`: `?cascade=true|false` (default true, as Argo CD's API). */
export interface DeleteRequest {
  /** Prune the Application's resources before it goes; false leaves them on the cluster. */
  readonly cascade: boolean;
}

export function parseDeleteRequest(query: Record<string, unknown>): DeleteRequest {
  const problems = unknownFields(query, ['cascade']).map((p) => ({
    ...p,
    message: 'unknown query parameter; expected cascade',
  }));
  const value = query.cascade;
  let cascade = true;
  if (value === 'false') cascade = false;
  else if (value !== undefined && value !== '' && value !== 'true') {
    problems.push({ field: 'cascade', rule: 'type', message: 'must be true or false' });
  }
  if (problems.length > 0) {
    throw new DomainError(
      DomainErrorCode.BadRequest,
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  }
  return { cascade };
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null || body === '') return {};
  if (!isPlainObject(body)) {
    throw new DomainError(DomainErrorCode.BadRequest, 'the request body must be a JSON object', [
      { field: 'body', rule: 'type', message: 'must be a JSON object' },
    ]);
  }
  return body;
}

function unknownFields(input: Record<string, unknown>, known: readonly string[]): FieldProblem[] {
  return Object.keys(input)
    .filter((key) => !known.includes(key))
    .map((key) => ({
      field: key,
      rule: 'unknown-field',
      message: `unknown field; expected one of ${known.join(', ')}`,
    }));
}

function flag(input: Record<string, unknown>, field: string, problems: FieldProblem[]): boolean {
  const value = input[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    problems.push({ field, rule: 'type', message: 'must be true or false' });
    return false;
  }
  return value;
}
