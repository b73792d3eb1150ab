import { DomainErrorCode } from '../common/domain-error';
import { BatchRecord } from './cat-file-batch';
import { readError, readProblem } from './read-problems';

const OID = 'a'.repeat(40);

describe('readProblem', () => {
  it.each<[BatchRecord, string | undefined]>([
    [{ kind: 'object', oid: OID, type: 'blob', size: 1, content: Buffer.from('x') }, undefined],
    [{ kind: 'object', oid: OID, type: 'tree', size: 1 }, 'git-not-a-file'],
    [{ kind: 'object', oid: OID, type: 'commit', size: 1 }, 'git-not-found'],
    [{ kind: 'missing' }, 'git-not-found'],
    [{ kind: 'dangling' }, 'git-not-found'],
    [{ kind: 'notdir' }, 'git-not-found'],
    [{ kind: 'loop' }, 'git-symlink-loop'],
    [{ kind: 'outside' }, 'git-symlink-outside'],
  ])('%j → %s', (record, rule) => {
    const problem = readProblem(record, 'apps/x.yaml');
    expect(problem?.rule).toBe(rule);
    if (problem) expect(problem.message).toContain('"apps/x.yaml"');
  });
});

describe('readError', () => {
  const missing = { field: 'path', rule: 'git-not-found', message: '"a" does not exist' };
  const refused = {
    field: 'path',
    rule: 'git-symlink-outside',
    message: '"b" is a symbolic link…',
  };
  it.each<[object[], DomainErrorCode]>([
    [[missing], DomainErrorCode.NotFound],
    [[missing, refused], DomainErrorCode.Invalid],
  ])('%j → %s', (problems, code) => {
    const error = readError(problems as never, 'https://h/r at abc');
    expect(error).toMatchObject({ code, details: problems });
    expect(error.message).toContain('https://h/r at abc');
  });
});
