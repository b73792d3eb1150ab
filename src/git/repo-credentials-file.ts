/**
 * Repository credentials an operator gives in one file
 * (`FLEETPLANE_GIT_CREDENTIALS_FILE`), as Argo CD's repository credential
 * templates: each entry applies to every repository URL that starts with
 * its `url`, the longest match winning.
 *
 *   [
 *     { "url": "https://github.com/my-org/", "token": "ghp_…" },
 *     { "url": "https://gitlab.example.com/", "username": "ci", "password": "…" },
 *     { "url": "git@github.com:my-org/", "sshPrivateKeyFile": "/etc/fleetplane/deploy-key" }
 *   ]
 *
 * The file is read and checked once, at start-up: a mistake stops the
 * process with every problem listed, rather than surfacing as an
 * authentication failure hours later. Secrets never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem, fieldPath } from '../common/field-problem';
import { RepoCredentials, RepoCredentialsProvider } from './git-env';

/** One entry of the file, once checked. */
export interface RepoCredentialEntry {
  /** A prefix of the repository URLs it applies to, as written in ApplicationSets. */
  readonly url: string;
  readonly credentials: RepoCredentials;
}

const FIELDS = new Set(['url', 'token', 'username', 'password', 'sshPrivateKeyFile']);

/**
 * Parses the file's text (pure apart from reading `sshPrivateKeyFile`s
 * through `readKey`). Returns the entries, or every problem found.
 */
export function parseRepoCredentials(
  text: string,
  readKey: (file: string) => string,
): { entries: RepoCredentialEntry[] } | { problems: FieldProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text, which holds secrets.
    return { problems: [problem('', 'syntax', 'must be a JSON list of credential entries')] };
  }
  if (!Array.isArray(parsed)) {
    return { problems: [problem('', 'type', 'must be a JSON list of credential entries')] };
  }
  const problems: FieldProblem[] = [];
  const entries = parsed.flatMap((raw, i): RepoCredentialEntry[] => {
    const at = fieldPath('', i);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(problem(at, 'type', 'must be an object'));
      return [];
    }
    const entry = raw as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(entry)) {
      if (!FIELDS.has(key))
        problems.push(problem(fieldPath(at, key), 'unknown-field', 'unknown field'));
    }
    for (const key of FIELDS) {
      if (entry[key] !== undefined && (typeof entry[key] !== 'string' || entry[key] === '')) {
        problems.push(problem(fieldPath(at, key), 'type', 'must be a non-empty string'));
      }
    }
    if (entry.url === undefined) {
      problems.push(problem(fieldPath(at, 'url'), 'required', 'is required'));
    }
    if (entry.password !== undefined && entry.username === undefined) {
      problems.push(problem(fieldPath(at, 'username'), 'required', 'is required with password'));
    }
    if (
      entry.token === undefined &&
      entry.password === undefined &&
      entry.sshPrivateKeyFile === undefined
    ) {
      problems.push(
        problem(at, 'required', 'needs token, username and password, or sshPrivateKeyFile'),
      );
    }
    if (problems.length > before) return [];
    let sshPrivateKey: string | undefined;
    if (typeof entry.sshPrivateKeyFile === 'string') {
      try {
        sshPrivateKey = readKey(entry.sshPrivateKeyFile);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
        problems.push(
          problem(fieldPath(at, 'sshPrivateKeyFile'), 'unreadable', `cannot be read (${code})`),
        );
        return [];
      }
    }
    const credentials: RepoCredentials = Object.fromEntries(
      Object.entries({
        token: entry.token,
        username: entry.username,
        password: entry.password,
        sshPrivateKey,
      }).filter(([, value]) => value !== undefined),
    );
    return [{ url: entry.url as string, credentials }];
  });
  return problems.length > 0 ? { problems } : { entries };
}

/** The credentials of the longest entry whose `url` starts `repoURL` (pure function). */
export function credentialsFor(
  entries: readonly RepoCredentialEntry[],
  repoURL: string,
): RepoCredentials | undefined {
  let best: RepoCredentialEntry | undefined;
  for (const entry of entries) {
    if (repoURL.startsWith(entry.url) && entry.url.length > (best?.url.length ?? -1)) {
      best = entry;
    }
  }
  return best?.credentials;
}

/**
 * Reads `file` now and returns the provider the mirror cache asks. Throws a
 * DomainError (`Configuration`) listing every problem.
 */
export function loadRepoCredentials(file: string): RepoCredentialsProvider {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new DomainError(
      DomainErrorCode.Configuration,
      `FLEETPLANE_GIT_CREDENTIALS_FILE: ${file} cannot be read (${code})`,
    );
  }
  const result = parseRepoCredentials(text, (keyFile) => readFileSync(keyFile, 'utf8'));
  if ('problems' in result) {
    const summary = result.problems.map((p) => `${p.field || '(file)'}: ${p.message}`).join('; ');
    throw new DomainError(
      DomainErrorCode.Configuration,
      `FLEETPLANE_GIT_CREDENTIALS_FILE ${file} is invalid: ${summary}`,
      result.problems,
    );
  }
  const { entries } = result;
  return async (repoURL) => credentialsFor(entries, repoURL);
}

function problem(field: string, rule: string, message: string): FieldProblem {
  return { field, rule, message };
}
