/** Validation of `POST/PUT /api/v1/sources` bodies (pure function). */
import { DomainError } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';
import { isPlainObject } from '../labels/label-rules';
import { repoPathProblems, revisionProblems } from '../git/git-input-rules';
import { repoUrlProblems } from '../git/repo-url';
import { objectNameProblems } from '../applicationsets/validation/kubernetes-names';
import { SourceWrite } from './source.repository';

const FIELDS = ['name', 'repoURL', 'revision', 'path', 'recurse'];

export function parseSourceRequest(body: unknown, allowFileRepos: boolean): SourceWrite {
  if (!isPlainObject(body))
    throw DomainError.invalid([
      { field: '', rule: 'type', message: 'the request body must be a JSON object' },
    ]);
  const problems: FieldProblem[] = Object.keys(body)
    .filter((key) => !FIELDS.includes(key))
    .map((field) => ({
      field,
      rule: 'unknown-field',
      message: `unknown field; expected one of ${FIELDS.join(', ')}`,
    }));
  if (typeof body.name !== 'string')
    problems.push({ field: 'name', rule: 'required', message: 'must be a string' });
  else
    problems.push(
      ...objectNameProblems(body.name).map((message) => ({
        field: 'name',
        rule: 'object-name',
        message,
      })),
    );
  problems.push(...repoUrlProblems(body.repoURL, { allowFileRepos }));
  const revision = body.revision ?? 'HEAD';
  if (typeof revision !== 'string')
    problems.push({ field: 'revision', rule: 'type', message: 'must be a branch, tag or commit' });
  else problems.push(...revisionProblems(revision));
  const path = body.path ?? '';
  if (typeof path !== 'string')
    problems.push({
      field: 'path',
      rule: 'type',
      message: 'must be a directory of the repository',
    });
  else if (path !== '' && path !== '.') problems.push(...repoPathProblems(path));
  const recurse = body.recurse ?? false;
  if (typeof recurse !== 'boolean')
    problems.push({ field: 'recurse', rule: 'type', message: 'must be a boolean' });
  if (problems.length > 0) throw DomainError.invalid(problems);
  return {
    name: body.name as string,
    repoURL: body.repoURL as string,
    revision: revision as string,
    path: path === '.' ? '' : (path as string),
    recurse: recurse as boolean,
  };
}
