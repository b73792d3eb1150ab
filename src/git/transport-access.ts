/**
 * Prepares what one network git command needs to reach a repository: the
 * credentials from the provider turned into an `Authorization` header, or an
 * ssh private key in a 0600 file that exists only while the command runs,
 * and the ssh host-key policy. Also lists the secrets to scrub from git's
 * messages.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import {
  authorizationHeader,
  GitCommandAccess,
  RepoCredentialsProvider,
  secretsOf,
  sshCommand,
} from './git-env';
import { RepoUrl, scrubUrls } from './repo-url';

/** Where the access for a command comes from. */
export interface TransportAccessSources {
  /** Private (0700) directory for short-lived key files. */
  readonly tempDir: string;
  readonly credentials?: RepoCredentialsProvider;
  /** Returns the known_hosts file; `undefined` when none is configured. */
  readonly knownHostsFile: () => Promise<string | undefined>;
}

/** Access for one command; `close` deletes any key file. */
export interface OpenedAccess {
  readonly access: GitCommandAccess;
  /** Values to scrub from anything git prints. */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/**
 * Looks up credentials for `repoURL` (the URL as the caller gave it) and
 * prepares the access for `repo`'s transport. Throws a DomainError
 * (`Configuration`) for an ssh URL when no known hosts are configured: host
 * keys are always checked, never trusted on first use (GO-2025-3649).
 */
export async function openTransportAccess(
  repoURL: string,
  repo: RepoUrl,
  sources: TransportAccessSources,
): Promise<OpenedAccess> {
  const none = async (): Promise<void> => undefined;
  if (repo.transport === 'file') return { access: { transport: 'file' }, secrets: [], close: none };

  if (repo.transport === 'ssh') {
    const knownHostsFile = await sources.knownHostsFile();
    if (!knownHostsFile) {
      throw new DomainError(
        DomainErrorCode.Configuration,
        `ssh repository ${repo.fetchUrl} refused: no SSH known hosts are configured, and host keys are never trusted on first use; add the known_hosts entries of ${repo.host} to the file FLEETPLANE_GIT_SSH_KNOWN_HOSTS_FILE names`,
      );
    }
    const credentials = await lookUp(repoURL, repo, sources);
    if (!credentials?.sshPrivateKey) {
      return {
        access: { transport: 'ssh', sshCommand: sshCommand({ knownHostsFile }) },
        secrets: [],
        close: none,
      };
    }
    const keyDir = await mkdtemp(path.join(sources.tempDir, 'ssh-'));
    const privateKeyFile = path.join(keyDir, 'key');
    const key = credentials.sshPrivateKey;
    // ssh refuses a key file without a final newline ("invalid format").
    await writeFile(privateKeyFile, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
    return {
      access: { transport: 'ssh', sshCommand: sshCommand({ knownHostsFile, privateKeyFile }) },
      secrets: [],
      close: () => rm(keyDir, { recursive: true, force: true }),
    };
  }

  const credentials = await lookUp(repoURL, repo, sources);
  return {
    access: {
      transport: repo.transport,
      authorizationHeader: authorizationHeader(credentials, repo.fetchUrl),
    },
    secrets: secretsOf(credentials),
    close: none,
  };
}

async function lookUp(repoURL: string, repo: RepoUrl, sources: TransportAccessSources) {
  if (!sources.credentials) return undefined;
  try {
    return await sources.credentials(repoURL);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError(
      DomainErrorCode.Upstream,
      `could not read the credentials for ${repo.fetchUrl}: ${scrubUrls(error instanceof Error ? error.message : String(error))}`,
    );
  }
}
