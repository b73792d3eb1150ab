/**
 * Why a path could not be read, from cat-file's answer (pure). Messages
 * name the path and never the content, nor a link's target
 * (GHSA-h6h5-6fmq-rh28).
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';
import { BatchRecord } from './cat-file-batch';

/** The problem reading `path` gave, or `undefined` when it is a readable file. */
export function readProblem(record: BatchRecord, path: string): FieldProblem | undefined {
  const problem = (rule: string, message: string): FieldProblem => ({
    field: 'path',
    rule,
    message: `${JSON.stringify(path)} ${message}`,
  });
  switch (record.kind) {
    case 'object':
      if (record.type === 'blob') return undefined;
      return record.type === 'tree'
        ? problem('git-not-a-file', 'is a directory, not a file')
        : problem('git-not-found', 'is not a file (a submodule?)');
    case 'missing':
    case 'ambiguous':
      return problem('git-not-found', 'does not exist');
    case 'dangling':
      // git also answers "dangling" for some links that leave the tree through a link to ".".
      return problem(
        'git-not-found',
        'is a symbolic link whose target does not exist in the repository',
      );
    case 'notdir':
      return problem('git-not-found', 'does not exist (a parent is a file)');
    case 'loop':
      return problem('git-symlink-loop', 'is a symbolic link in a loop');
    case 'outside':
      return problem(
        'git-symlink-outside',
        'is a symbolic link that points outside the repository; such links are never followed',
      );
  }
}

/**
 * One error for all the paths that could not be read: `NotFound` when every
 * problem is a missing file, `Invalid` when any path was refused.
 */
export function readError(problems: readonly FieldProblem[], where: string): DomainError {
  const message = `reading ${where}: ${problems.map((p) => p.message).join('; ')}`;
  const allMissing = problems.every((p) => p.rule === 'git-not-found');
  return allMissing
    ? new DomainError(DomainErrorCode.NotFound, message, problems)
    : DomainError.invalid(problems, message);
}
