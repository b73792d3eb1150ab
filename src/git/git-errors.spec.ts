import { DomainError, DomainErrorCode } from '../common/domain-error';
import { isLockContention, upstreamError } from './git-errors';
import { GitProcessError } from './git-process';

const exit = (stderr: string) =>
  new GitProcessError('exit', 128, stderr, 'git fetch exited with 128');

describe('upstreamError', () => {
  it.each<[unknown, string]>([
    [
      exit(
        'ssh: connect to host h port 22: Connection refused\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n',
      ),
      'git fetch of R failed: ssh: connect to host h port 22: Connection refused; fatal: Could not read from remote repository.',
    ],
    [
      exit("fatal: could not read Username for 'http://h': terminal prompts disabled\n"),
      "git fetch of R failed: authentication failed: the server refused the credentials, or the repository needs credentials that are not configured (fatal: could not read Username for 'http://h': terminal prompts disabled)",
    ],
    [
      new GitProcessError('timeout', null, '', 'git fetch timed out after 90 s'),
      'git fetch of R failed: git fetch timed out after 90 s',
    ],
    [exit(''), 'git fetch of R failed: git fetch exited with 128'],
    [
      exit('fatal: unable to access https://u:pw@h/r: token abcd1234 rejected'),
      'git fetch of R failed: fatal: unable to access https://***@h/r: token *** rejected',
    ],
  ])('%#', (error, message) => {
    expect(upstreamError('git fetch', 'R', error, ['abcd1234'])).toEqual(
      expect.objectContaining({ code: DomainErrorCode.Upstream, message }),
    );
  });

  it('passes DomainErrors through unchanged', () => {
    const original = new DomainError(DomainErrorCode.Configuration, 'no known hosts');
    expect(upstreamError('git fetch', 'R', original)).toBe(original);
  });

  it('cuts long output', () => {
    expect(
      upstreamError('git fetch', 'R', exit(`fatal: ${'x'.repeat(1000)}`)).message.length,
    ).toBeLessThan(450);
  });
});

describe('isLockContention', () => {
  it.each<[unknown, boolean]>([
    [exit("error: cannot lock ref 'refs/heads/main': is at abc but expected def"), true],
    [exit("fatal: Unable to create '/m/shallow.lock': File exists."), true],
    [exit('fatal: repository not found'), false],
    [new Error('cannot lock ref'), false],
  ])('%#', (error, expected) => {
    expect(isLockContention(error)).toBe(expected);
  });
});
