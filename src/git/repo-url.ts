/**
 * Repository URLs: which ones Fleetplane will fetch, the key its mirror is
 * stored under, and how a URL is shown in messages (pure functions).
 *
 * Allowed: `https://`, `ssh://`, scp-like `user@host:path`, `http://` to a
 * loopback host only (the local test server), and `file://` only when the
 * operator allows it (`FLEETPLANE_ALLOW_FILE_REPOS`). Everything else, in
 * particular remote helpers (`ext::`, `fd::`), `git://` and bare local paths,
 * is refused: a URL is user input and git would run whatever it names
 * (semantics.md C1, GHSA-2hj5-g64g-fp6p: validate URL schemes).
 */
import { DomainError } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';

export type RepoTransport = 'https' | 'http' | 'ssh' | 'file';

/** What the operator allows beyond the always-allowed https and ssh transports. */
export interface RepoUrlPolicy {
  readonly allowFileRepos: boolean;
}

/** A repository URL that passed validation. None of its fields holds a credential. */
export interface RepoUrl {
  readonly transport: RepoTransport;
  /** The URL handed to git: canonical form, without any http(s) user info. */
  readonly fetchUrl: string;
  /**
   * Identity of the repository for the mirror cache: lower-case scheme and
   * host, default port dropped, trailing `/` and `.git` dropped, scp-like
   * `git@host:org/repo` written as `ssh://git@host/org/repo`.
   */
  readonly key: string;
  /** Lower-case host name (`''` for `file://`). */
  readonly host: string;
}

const MAX_URL_LENGTH = 2048;
const DEFAULT_PORTS: Readonly<Record<string, string>> = { https: '443', http: '80', ssh: '22' };
/** RFC 3986 characters; anything else (spaces, `\`, quotes, control characters) is refused. */
const URL_CHARACTERS = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const REMOTE_HELPER = /^[A-Za-z][A-Za-z0-9+.-]*::/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `user@host:path`; the user is required so that `javascript:x` or `C:path` never count as ssh. */
const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(.+)$/;
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$/;
const SUPPORTED = 'an https:// or ssh:// URL, or scp-like user@host:path';

/**
 * Validates a repository URL against the policy. Returns the problems (empty
 * when the URL is acceptable); messages show the URL with credentials scrubbed.
 */
export function repoUrlProblems(
  raw: unknown,
  policy: RepoUrlPolicy,
  field = 'repoURL',
): FieldProblem[] {
  const result = analyse(raw, policy);
  return 'problem' in result ? [{ field, ...result.problem }] : [];
}

/**
 * Parses and validates a repository URL. Throws a DomainError (`Invalid`)
 * naming the field, the rule and the scrubbed URL when it is not allowed.
 */
export function parseRepoUrl(raw: unknown, policy: RepoUrlPolicy, field = 'repoURL'): RepoUrl {
  const result = analyse(raw, policy);
  if ('problem' in result) {
    const problem = { field, ...result.problem };
    throw DomainError.invalid([problem], `${field}: ${problem.message}`);
  }
  return result;
}

/**
 * The mirror key of a repository URL (equal for every spelling of one
 * repository: https, ssh, `.git` or not), or null when it is not a URL
 * Fleetplane could read. `file://` counts, so tests' repositories match.
 */
export function repoKeyOf(url: string): string | null {
  try {
    return parseRepoUrl(url, { allowFileRepos: true }).key;
  } catch {
    return null;
  }
}

/**
 * Removes credentials from every URL in a text (user info of `scheme://` URLs,
 * e.g. `https://token@host` or `https://user:pass@host`), for messages and
 * logs (GHSA-mv6w-j4xc-qpfw). ssh user names such as `git@` are kept: they
 * are not secrets and users recognise their URLs by them.
 */
export function scrubUrls(text: string): string {
  return text.replace(
    /\b([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/\s@]+)@/g,
    (whole, scheme: string, userInfo: string) =>
      scheme.toLowerCase() === 'ssh' && !userInfo.includes(':') ? whole : `${scheme}://***@`,
  );
}

/**
 * Scrubs a text for an error message or a log line: URL credentials, and
 * every known secret (tokens, passwords) wherever it appears.
 */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let scrubbed = scrubUrls(text);
  for (const secret of secrets) {
    // Very short values would blank out ordinary words; no real secret is that short.
    if (secret.length >= 4) scrubbed = scrubbed.split(secret).join('***');
  }
  return scrubbed;
}

type Problem = Omit<FieldProblem, 'field'>;

function analyse(raw: unknown, policy: RepoUrlPolicy): RepoUrl | { problem: Problem } {
  if (typeof raw !== 'string' || raw.trim() === '') {
    return refuse('required', `must be a non-empty string: ${SUPPORTED}`);
  }
  const url = raw.trim();
  const shown = JSON.stringify(scrubUrls(url));
  if (url.length > MAX_URL_LENGTH) {
    return refuse('max-length', `must be at most ${MAX_URL_LENGTH} characters`);
  }
  if (!URL_CHARACTERS.test(url)) {
    return refuse(
      'characters',
      `${shown} contains spaces, quotes, backslashes or control characters`,
    );
  }
  if (REMOTE_HELPER.test(url)) {
    // `ext::sh -c ...` runs a command; no helper syntax is ever allowed.
    return refuse('scheme', `${shown} uses a git remote helper (\`<helper>::\`); use ${SUPPORTED}`);
  }
  const scheme = SCHEME.exec(url);
  if (scheme) return analyseSchemeUrl(url, scheme[1].toLowerCase(), shown, policy);
  const scp = SCP_LIKE.exec(url);
  if (scp && !scp[3].startsWith('//')) return analyseScpLike(scp[1], scp[2], scp[3], shown);
  return refuse('scheme', `${shown} is not a remote repository URL; use ${SUPPORTED}`);
}

function analyseSchemeUrl(
  raw: string,
  scheme: string,
  shown: string,
  policy: RepoUrlPolicy,
): RepoUrl | { problem: Problem } {
  if (!['https', 'http', 'ssh', 'file'].includes(scheme)) {
    return refuse('scheme', `${shown}: scheme "${scheme}" is not allowed; use ${SUPPORTED}`);
  }
  if (hasDotDotSegment(raw.slice(raw.indexOf('://') + 3))) {
    return refuse('path', `${shown} must not contain ".." path segments`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('syntax', `${shown} is not a valid URL`);
  }
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    return refuse('syntax', `${shown} must not have a query (?) or fragment (#)`);
  }
  if (url.password) {
    return refuse(
      'credentials',
      `${shown} embeds a password or token; register repository credentials instead of putting them in the URL`,
    );
  }
  if (scheme === 'file') return analyseFileUrl(url, shown, policy);

  const host = url.hostname.toLowerCase();
  if (!host || !HOST_NAME.test(host)) {
    return refuse('host', `${shown} must name a host (letters, digits, "-" and ".")`);
  }
  if (scheme === 'http' && !isLoopback(host)) {
    return refuse(
      'scheme',
      `${shown}: plain http:// is only allowed to a loopback host; use https://`,
    );
  }
  const path = url.pathname;
  if (path === '' || path === '/') return refuse('path', `${shown} must name a repository path`);
  const port = url.port && url.port !== DEFAULT_PORTS[scheme] ? `:${url.port}` : '';
  if (scheme === 'ssh') {
    const user = decodeURIComponent(url.username);
    if (user && !/^[A-Za-z0-9._-]+$/.test(user)) {
      return refuse(
        'user',
        `${shown}: the ssh user name may only hold letters, digits, ".", "_" and "-"`,
      );
    }
    if (user.startsWith('-'))
      return refuse('user', `${shown}: the ssh user name must not start with "-"`);
    const authority = `${user ? `${user}@` : ''}${host}${port}`;
    return {
      transport: 'ssh',
      fetchUrl: `ssh://${authority}${path}`,
      key: `ssh://${authority}/${keyPath(path.replace(/^\/+/, ''))}`,
      host,
    };
  }
  // http(s) user info is never a credential we use; drop it so it can't leak.
  const origin = `${scheme}://${host}${port}`;
  return {
    transport: scheme as 'https' | 'http',
    fetchUrl: `${origin}${path}`,
    key: `${origin}/${keyPath(path.replace(/^\/+/, ''))}`,
    host,
  };
}

function analyseFileUrl(
  url: URL,
  shown: string,
  policy: RepoUrlPolicy,
): RepoUrl | { problem: Problem } {
  if (!policy.allowFileRepos) {
    return refuse(
      'file-repos-disabled',
      `${shown}: file:// repositories are disabled; set FLEETPLANE_ALLOW_FILE_REPOS=true (tests and local use only)`,
    );
  }
  const host = url.hostname.toLowerCase();
  if (host !== '' && host !== 'localhost') {
    return refuse('host', `${shown}: a file:// URL must not name a host`);
  }
  const path = decodeURIComponent(url.pathname);
  if (path === '/' || path.includes('\0'))
    return refuse('path', `${shown} must name a repository directory`);
  return {
    transport: 'file',
    fetchUrl: `file://${url.pathname}`,
    key: `file://${keyPath(url.pathname)}`,
    host: '',
  };
}

function analyseScpLike(
  user: string,
  rawHost: string,
  path: string,
  shown: string,
): RepoUrl | { problem: Problem } {
  const host = rawHost.toLowerCase();
  if (!HOST_NAME.test(host) || host.startsWith('-')) {
    return refuse('host', `${shown} must name a host (letters, digits, "-" and ".")`);
  }
  if (user.startsWith('-'))
    return refuse('user', `${shown}: the ssh user name must not start with "-"`);
  if (path.startsWith('-')) return refuse('path', `${shown}: the path must not start with "-"`);
  if (hasDotDotSegment(path)) return refuse('path', `${shown} must not contain ".." path segments`);
  const authority = `${user}@${host}`;
  return {
    transport: 'ssh',
    fetchUrl: `${authority}:${path}`,
    key: `ssh://${authority}/${keyPath(path.replace(/^\/+/, ''))}`,
    host,
  };
}

/** The path part of a mirror key: trailing `/` and one `.git` suffix dropped. */
function keyPath(path: string): string {
  return path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/** True when any `/`-separated segment is `..`, also when percent-encoded (`%2e%2e`, `.%2E`). */
function hasDotDotSegment(path: string): boolean {
  return path.split(/[/?#]/).some((segment) => segment.replace(/%2e/gi, '.') === '..');
}

/** Loopback hosts, the only ones plain http:// may reach (the local test server). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function refuse(rule: string, message: string): { problem: Problem } {
  return { problem: { rule: `repo-url-${rule}`, message } };
}
