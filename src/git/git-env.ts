/**
 * The environment every git process runs in (pure functions).
 *
 * git is started with an environment built from scratch, not the server's:
 * no system or global config, no prompts or askpass helpers, a private empty
 * HOME (so a `~/.netrc` or `~/.ssh/config` of the server never lends its
 * credentials to a user-supplied URL), a protocol allow-list naming only the
 * transport of the URL at hand, and credentials passed as per-command config
 * through `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`: never
 * in argv (visible in `ps`) nor in a URL stored in the mirror's config
 * (GHSA-mv6w-j4xc-qpfw).
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { RepoTransport } from './repo-url';

/** Credentials for one repository, as the credentials provider returns them. */
export interface RepoCredentials {
  /** Bearer token, or the password with `username` (GitHub/GitLab personal access tokens). */
  readonly token?: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM/OpenSSH private key for ssh URLs. */
  readonly sshPrivateKey?: string;
}

/** Looks up the credentials for a repository URL; `undefined` means anonymous access. */
export type RepoCredentialsProvider = (repoURL: string) => Promise<RepoCredentials | undefined>;

/** What one git command may reach and with which credentials. */
export interface GitCommandAccess {
  /** Transport the command may use; `undefined` for commands that stay local. */
  readonly transport?: RepoTransport;
  /** `Authorization: ...` header for http(s). */
  readonly authorizationHeader?: string;
  /** Value for `GIT_SSH_COMMAND` (ssh only). */
  readonly sshCommand?: string;
}

/** Variables of the server's environment git may see: the program path, temp dir, proxies and CA bundles. */
const INHERITED = [
  'PATH',
  'TMPDIR',
  'http_proxy',
  'https_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'no_proxy',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
];

/**
 * The complete environment of a git process. `homeDir` must be an empty
 * directory private to Fleetplane. Only the transport named in `access` is
 * allowed (`protocol.allow=never` plus `protocol.<transport>.allow=always`).
 */
export function gitEnvironment(
  access: GitCommandAccess,
  homeDir: string,
  serverEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED) {
    if (serverEnv[name] !== undefined) env[name] = serverEnv[name];
  }
  Object.assign(env, {
    HOME: homeDir,
    XDG_CONFIG_HOME: homeDir,
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    // An empty GIT_ASKPASS stops git falling back to core.askPass or SSH_ASKPASS.
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_LITERAL_PATHSPECS: '1',
  });
  const config: [string, string][] = [
    ['protocol.allow', 'never'],
    // No hooks, credential helpers or background gc: the mirror is ours alone
    // and a process killed on timeout must leave nothing running.
    ['core.hooksPath', '/dev/null'],
    ['credential.helper', ''],
    ['gc.autoDetach', 'false'],
  ];
  if (access.transport) config.push([`protocol.${access.transport}.allow`, 'always']);
  if (access.authorizationHeader) config.push(['http.extraHeader', access.authorizationHeader]);
  if (access.sshCommand) {
    env.GIT_SSH_COMMAND = access.sshCommand;
    env.GIT_SSH_VARIANT = 'ssh';
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/**
 * The `Authorization` header for http(s) credentials, or `undefined` for
 * anonymous access: `token` alone is sent as a Bearer token; `username` with
 * `password` (or with `token`, the GitHub/GitLab convention) as Basic.
 * Throws a DomainError (`Configuration`) for incomplete or unsafe values;
 * the message never includes the secret.
 */
export function authorizationHeader(
  credentials: RepoCredentials | undefined,
  repo: string,
): string | undefined {
  if (!credentials) return undefined;
  const { token, username, password } = credentials;
  for (const [name, value] of Object.entries({ token, username, password })) {
    // A line break would let a stored credential inject further HTTP headers.
    if (value !== undefined && /[\r\n\0]/.test(value)) {
      throw credentialsError(repo, `${name} contains a line break or NUL`);
    }
  }
  const secret = password ?? token;
  if (username) {
    if (!secret) throw credentialsError(repo, 'a username needs a password or token');
    if (username.includes(':')) throw credentialsError(repo, 'the username must not contain ":"');
    return `Authorization: Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}`;
  }
  if (password) throw credentialsError(repo, 'a password needs a username (or use token)');
  return token ? `Authorization: Bearer ${token}` : undefined;
}

/** Files the ssh client reads for one command. */
export interface SshFiles {
  readonly knownHostsFile: string;
  /** 0600 file holding the private key; without it no key is offered. */
  readonly privateKeyFile?: string;
}

/**
 * The `GIT_SSH_COMMAND` for one command: host keys checked against the
 * configured known_hosts only (`StrictHostKeyChecking=yes`, no
 * trust-on-first-use: GO-2025-3649), no agent, no password prompts, no user
 * ssh config, only the given key.
 */
export function sshCommand(files: SshFiles): string {
  const options = [
    '-F /dev/null',
    '-o BatchMode=yes',
    '-o StrictHostKeyChecking=yes',
    `-o UserKnownHostsFile=${shellQuote(files.knownHostsFile)}`,
    '-o GlobalKnownHostsFile=/dev/null',
    '-o UpdateHostKeys=no',
    '-o IdentitiesOnly=yes',
    '-o IdentityAgent=none',
    '-o PasswordAuthentication=no',
    '-o KbdInteractiveAuthentication=no',
    files.privateKeyFile ? `-i ${shellQuote(files.privateKeyFile)}` : '-o IdentityFile=none',
  ];
  return `ssh ${options.join(' ')}`;
}

/** Quotes a value for the POSIX shell git runs `GIT_SSH_COMMAND` with. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Secrets of a credentials record, for scrubbing git's messages. */
export function secretsOf(credentials: RepoCredentials | undefined): string[] {
  if (!credentials) return [];
  const secrets = [credentials.token, credentials.password].filter((s): s is string => !!s);
  if (credentials.username && (credentials.password ?? credentials.token)) {
    const basic = `${credentials.username}:${credentials.password ?? credentials.token}`;
    secrets.push(Buffer.from(basic).toString('base64'));
  }
  return secrets;
}

function credentialsError(repo: string, reason: string): DomainError {
  return new DomainError(
    DomainErrorCode.Configuration,
    `the credentials configured for ${repo} are unusable: ${reason}`,
  );
}
