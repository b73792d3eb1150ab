/**
 * Turns git failures into DomainErrors whose messages name the repository
 * (credentials scrubbed) and what was asked, and never carry repository
 * content or secrets (GHSA-mv6w-j4xc-qpfw, GHSA-h6h5-6fmq-rh28).
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { GitProcessError } from './git-process';
import { scrubSecrets } from './repo-url';

const MAX_DETAIL = 400;
/**
 * git's advice after every failed remote command, which says nothing about
 * this failure, and ssh's advice on a changed host key: to delete the known
 * key (the opposite of what an operator should do before checking it),
 * naming the path of Fleetplane's private known_hosts.
 */
const BOILERPLATE =
  /^(Please make sure you have the correct access rights|and the repository exists\.|ssh-keygen -f .*|Offending .* key in .*|Add correct host key in .*|Please contact your system administrator\.)$/;
const AUTHENTICATION_FAILURE =
  /could not read (Username|Password)|Authentication failed|returned error: 40[13]|Permission denied \(publickey/i;

/**
 * An `Upstream` error for a git command that failed: `<action> of <repo>
 * failed: <reason>`, the reason being the timeout or git's own `fatal:` /
 * `error:` lines, scrubbed of URL credentials and of `secrets`.
 */
export function upstreamError(
  action: string,
  repo: string,
  error: unknown,
  secrets: readonly string[] = [],
): DomainError {
  if (error instanceof DomainError) return error;
  return new DomainError(
    DomainErrorCode.Upstream,
    `${action} of ${repo} failed: ${scrubSecrets(failureReason(error), secrets)}`,
  );
}

/** A `NotFound` error for something missing in a repository. */
export function notFoundInRepo(what: string, repo: string): DomainError {
  return new DomainError(DomainErrorCode.NotFound, `${what} not found in ${repo}`);
}

/** The lines of git's stderr that say what went wrong, or the process-level reason. */
function failureReason(error: unknown): string {
  if (!(error instanceof GitProcessError)) {
    return error instanceof Error ? error.message : String(error);
  }
  if (error.reason !== 'exit') return error.message;
  const lines = error.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !BOILERPLATE.test(line));
  // git's own `fatal:` line, and what the transport (ssh, curl) said before it.
  const significant = lines.slice(-4);
  let detail = significant.join('; ');
  if (detail === '') return error.message;
  if (detail.length > MAX_DETAIL) detail = `${detail.slice(0, MAX_DETAIL)}…`;
  // git asks for a user name when the server answers 401: say what that means.
  return AUTHENTICATION_FAILURE.test(detail)
    ? `authentication failed: the server refused the credentials, or the repository needs credentials that are not configured (${detail})`
    : detail;
}

/** True when git says it could not take a lock: another process is updating the same mirror. */
export function isLockContention(error: unknown): boolean {
  return (
    error instanceof GitProcessError &&
    /cannot lock ref|Unable to create '[^']*\.lock'|unable to update local ref/i.test(error.stderr)
  );
}
