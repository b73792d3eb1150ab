/**
 * Typed configuration, read once from the environment at start-up and
 * validated as a whole so one start reports every mistake at once.
 * `loadConfig` is a pure function of the environment it is given.
 */
import * as path from 'node:path';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';

export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';

export interface AppConfig {
  /** HTTP port of the API (`PORT`, default 8080). */
  readonly port: number;
  /** Interface the API binds to (`HOST`, default 127.0.0.1: the API has no authentication of its own yet). */
  readonly host: string;
  /** Where the embedded database, the generated key and Git mirrors live (`FLEETPLANE_DATA_DIR`). */
  readonly dataDir: string;
  /** External PostgreSQL (`DATABASE_URL`); when absent an embedded server is started. */
  readonly databaseUrl: string | undefined;
  /** Fixed port for the embedded PostgreSQL (`FLEETPLANE_EMBEDDED_PG_PORT`); a free one when absent. */
  readonly embeddedPostgresPort: number | undefined;
  /** 32-byte key for credentials at rest (`FLEETPLANE_ENCRYPTION_KEY`, base64 or hex). */
  readonly encryptionKey: Buffer | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: 'json' | 'text';
  readonly connectivity: {
    /** Seconds between background checks of every cluster; 0 disables them. */
    readonly intervalSeconds: number;
    readonly timeoutSeconds: number;
    /** How many clusters are checked at once. */
    readonly concurrency: number;
  };
  /** Allow `file://` repository URLs (tests and local use only). */
  readonly allowFileRepos: boolean;
  readonly reconcile: {
    /** ApplicationSets reconciled at once by this process. */
    readonly concurrency: number;
    /** Share (percent) of an ApplicationSet's Applications one reconcile may delete without approval. */
    readonly deletionBudgetPercent: number;
    /** Deleting this many is always allowed. */
    readonly deletionBudgetMin: number;
    /** Seconds between full resyncs of every ApplicationSet (a safety net); 0 disables them. */
    readonly resyncSeconds: number;
  };
  readonly git: {
    /** Seconds between fetches of one repository (polling), and the default requeue of Git generators. */
    readonly pollSeconds: number;
    /** Shared secret of GitHub webhooks (X-Hub-Signature-256); unset: GitHub pushes are refused. */
    readonly githubWebhookSecret: string | undefined;
    /** Token GitLab sends in X-Gitlab-Token; unset: GitLab pushes are refused. */
    readonly gitlabWebhookToken: string | undefined;
    /** JSON list of repository credentials by URL prefix (`FLEETPLANE_GIT_CREDENTIALS_FILE`, docs/git.md). */
    readonly credentialsFile: string | undefined;
    /** known_hosts for ssh repositories (`FLEETPLANE_GIT_SSH_KNOWN_HOSTS_FILE`); unset: ssh URLs are refused. */
    readonly sshKnownHostsFile: string | undefined;
    /**
     * Start git, kustomize and helm from the spawn helper (`FLEETPLANE_SPAWN_HELPER`, docs/git.md);
     * `src/process` reads the variable itself, this checks its value at start-up.
     */
    readonly spawnHelper: boolean;
  };
  /** The sync engine's execution half: cluster API calls, rendering, waiting for health. */
  readonly syncExecution: {
    /** Deadline of one Kubernetes API request, including the wait for a free slot (`FLEETPLANE_SYNC_REQUEST_TIMEOUT_SECONDS`). */
    readonly requestTimeoutSeconds: number;
    /** Kubernetes API requests in flight per cluster (`FLEETPLANE_CLUSTER_CONCURRENCY`); watches are not counted. */
    readonly clusterConcurrency: number;
    /** Memory bound of the rendered-manifest cache (`FLEETPLANE_RENDER_CACHE_MB`; 0 disables it). */
    readonly renderCacheMb: number;
    /** Memory bound of the live cache of cluster objects the drift watch keeps (`FLEETPLANE_LIVE_CACHE_MB`; 0 disables it). */
    readonly liveCacheMb: number;
    /** Limit of one `kubectl kustomize` / `helm template` run (`FLEETPLANE_RENDER_TIMEOUT_SECONDS`, Argo's 90 s exec timeout). */
    readonly renderTimeoutSeconds: number;
    /** How long a sync waits for one wave to become healthy (`FLEETPLANE_SYNC_HEALTH_TIMEOUT_SECONDS`). */
    readonly healthTimeoutSeconds: number;
    /** Pause after a wave that wrote something, before the next (`FLEETPLANE_SYNC_WAVE_DELAY_SECONDS`, Argo's 2 s). */
    readonly waveDelaySeconds: number;
    /** How long a sync follows the rollout of its last wave before it writes its result (`FLEETPLANE_SYNC_SETTLE_SECONDS`). */
    readonly settleSeconds: number;
  };
  /** The sync engine's control half: workers, leases, scheduling of comparisons and syncs. */
  readonly syncControl: {
    /** Run sync workers in this replica (`FLEETPLANE_SYNC_WORKERS`); false makes an API-only replica. */
    readonly workers: boolean;
    /** Applications compared or synced at once by this replica (`FLEETPLANE_SYNC_CONCURRENCY`). */
    readonly concurrency: number;
    /** Applications compared or synced at once on one cluster (`FLEETPLANE_SYNC_CLUSTER_APPS`). */
    readonly clusterApps: number;
    /** Seconds between comparisons of each Application with its cluster (`FLEETPLANE_SYNC_COMPARE_INTERVAL_SECONDS`). */
    readonly compareIntervalSeconds: number;
    /** Seconds a replica's lease on a cluster lasts without renewal (`FLEETPLANE_SYNC_LEASE_SECONDS`). */
    readonly leaseSeconds: number;
    /** Seconds after which a running sync is terminated; 0: never (`FLEETPLANE_SYNC_TIMEOUT_SECONDS`). */
    readonly timeoutSeconds: number;
  };
}

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

/** Reads and validates the configuration; throws one Configuration error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig {
  const problems: FieldProblem[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({
        field: name,
        rule: 'integer-range',
        message: `must be an integer from ${min} to ${max}, got "${raw}"`,
      });
      return fallback;
    }
    return value;
  };
  const bool = (name: string): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return false;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push({ field: name, rule: 'boolean', message: `must be true or false, got "${raw}"` });
    return false;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    problems.push({
      field: name,
      rule: 'enum',
      message: `must be one of ${allowed.join(', ')}, got "${raw}"`,
    });
    return fallback;
  };

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push({
      field: 'DATABASE_URL',
      rule: 'url',
      message: 'must be a postgres:// or postgresql:// URL',
    });
  }
  const encryptionKey = parseKey(env.FLEETPLANE_ENCRYPTION_KEY, problems);
  if (
    databaseUrl &&
    !encryptionKey &&
    !problems.some((p) => p.field === 'FLEETPLANE_ENCRYPTION_KEY')
  ) {
    problems.push({
      field: 'FLEETPLANE_ENCRYPTION_KEY',
      rule: 'required',
      message:
        'is required with DATABASE_URL: every replica must share the key that encrypts cluster credentials (32 bytes, base64 or hex; e.g. `openssl rand -base64 32`)',
    });
  }

  const config: AppConfig = {
    port: int('PORT', 8080, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(cwd, env.FLEETPLANE_DATA_DIR || '.fleetplane'),
    databaseUrl,
    embeddedPostgresPort: env.FLEETPLANE_EMBEDDED_PG_PORT
      ? int('FLEETPLANE_EMBEDDED_PG_PORT', 0, 1, 65535)
      : undefined,
    encryptionKey,
    logLevel: oneOf('LOG_LEVEL', LOG_LEVELS, 'log'),
    logFormat: oneOf('FLEETPLANE_LOG_FORMAT', ['json', 'text'] as const, 'json'),
    connectivity: {
      intervalSeconds: int('FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS', 60, 0, 86400),
      timeoutSeconds: int('FLEETPLANE_CONNECTIVITY_TIMEOUT_SECONDS', 10, 1, 300),
      concurrency: int('FLEETPLANE_CONNECTIVITY_CONCURRENCY', 16, 1, 1024),
    },
    allowFileRepos: bool('FLEETPLANE_ALLOW_FILE_REPOS'),
    reconcile: {
      concurrency: int('FLEETPLANE_RECONCILE_CONCURRENCY', 4, 1, 256),
      deletionBudgetPercent: int('FLEETPLANE_DELETION_BUDGET_PERCENT', 50, 0, 100),
      deletionBudgetMin: int('FLEETPLANE_DELETION_BUDGET_MIN', 10, 0, 1_000_000),
      resyncSeconds: int('FLEETPLANE_RESYNC_SECONDS', 600, 0, 86_400),
    },
    git: {
      pollSeconds: int('FLEETPLANE_GIT_POLL_SECONDS', 180, 1, 86_400),
      githubWebhookSecret: env.FLEETPLANE_WEBHOOK_GITHUB_SECRET || undefined,
      gitlabWebhookToken: env.FLEETPLANE_WEBHOOK_GITLAB_TOKEN || undefined,
      credentialsFile: env.FLEETPLANE_GIT_CREDENTIALS_FILE || undefined,
      sshKnownHostsFile: env.FLEETPLANE_GIT_SSH_KNOWN_HOSTS_FILE || undefined,
      spawnHelper: env.FLEETPLANE_SPAWN_HELPER ? bool('FLEETPLANE_SPAWN_HELPER') : true,
    },
    syncExecution: {
      requestTimeoutSeconds: int('FLEETPLANE_SYNC_REQUEST_TIMEOUT_SECONDS', 30, 1, 600),
      clusterConcurrency: int('FLEETPLANE_CLUSTER_CONCURRENCY', 8, 1, 256),
      renderCacheMb: int('FLEETPLANE_RENDER_CACHE_MB', 64, 0, 16_384),
      liveCacheMb: int('FLEETPLANE_LIVE_CACHE_MB', 64, 0, 16_384),
      renderTimeoutSeconds: int('FLEETPLANE_RENDER_TIMEOUT_SECONDS', 90, 1, 3600),
      healthTimeoutSeconds: int('FLEETPLANE_SYNC_HEALTH_TIMEOUT_SECONDS', 300, 1, 86_400),
      waveDelaySeconds: int('FLEETPLANE_SYNC_WAVE_DELAY_SECONDS', 2, 0, 600),
      settleSeconds: int('FLEETPLANE_SYNC_SETTLE_SECONDS', 10, 0, 600),
    },
    syncControl: {
      workers: env.FLEETPLANE_SYNC_WORKERS ? bool('FLEETPLANE_SYNC_WORKERS') : true,
      concurrency: int('FLEETPLANE_SYNC_CONCURRENCY', 1536, 1, 4096),
      clusterApps: int('FLEETPLANE_SYNC_CLUSTER_APPS', 16, 1, 1024),
      compareIntervalSeconds: int('FLEETPLANE_SYNC_COMPARE_INTERVAL_SECONDS', 180, 1, 86_400),
      leaseSeconds: int('FLEETPLANE_SYNC_LEASE_SECONDS', 30, 2, 3600),
      timeoutSeconds: int('FLEETPLANE_SYNC_TIMEOUT_SECONDS', 0, 0, 86_400),
    },
  };
  if (problems.length > 0) {
    throw new DomainError(
      DomainErrorCode.Configuration,
      `invalid configuration:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`,
      problems,
    );
  }
  return config;
}

function parseKey(raw: string | undefined, problems: FieldProblem[]): Buffer | undefined {
  if (!raw) return undefined;
  const trimmed = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    problems.push({
      field: 'FLEETPLANE_ENCRYPTION_KEY',
      rule: 'key-length',
      message: `must decode to exactly 32 bytes (base64 or 64 hex digits); it decodes to ${key.length}`,
    });
    return undefined;
  }
  return key;
}
