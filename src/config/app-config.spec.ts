import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { loadConfig } from './app-config';

describe(loadConfig.name, () => {
  it('defaults to the embedded setup on 127.0.0.1:8080 with data in ./.fleetplane', () => {
    expect(loadConfig({}, '/srv')).toEqual({
      port: 8080,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/.fleetplane'),
      databaseUrl: undefined,
      embeddedPostgresPort: undefined,
      encryptionKey: undefined,
      logLevel: 'log',
      logFormat: 'json',
      connectivity: { intervalSeconds: 60, timeoutSeconds: 10, concurrency: 16 },
      allowFileRepos: false,
      reconcile: {
        concurrency: 4,
        deletionBudgetPercent: 50,
        deletionBudgetMin: 10,
        resyncSeconds: 600,
      },
      git: {
        pollSeconds: 180,
        githubWebhookSecret: undefined,
        gitlabWebhookToken: undefined,
        credentialsFile: undefined,
        sshKnownHostsFile: undefined,
        spawnHelper: true,
      },
      syncExecution: {
        requestTimeoutSeconds: 30,
        clusterConcurrency: 8,
        renderCacheMb: 64,
        liveCacheMb: 64,
        renderTimeoutSeconds: 90,
        healthTimeoutSeconds: 300,
        waveDelaySeconds: 2,
        settleSeconds: 10,
      },
      syncControl: {
        workers: true,
        concurrency: 1536,
        clusterApps: 16,
        compareIntervalSeconds: 180,
        leaseSeconds: 30,
        timeoutSeconds: 0,
      },
    });
  });

  it('reads the sync control settings and names any out of range', () => {
    expect(
      loadConfig({
        FLEETPLANE_SYNC_WORKERS: 'false',
        FLEETPLANE_SYNC_CONCURRENCY: '16',
        FLEETPLANE_SYNC_CLUSTER_APPS: '2',
        FLEETPLANE_SYNC_COMPARE_INTERVAL_SECONDS: '60',
        FLEETPLANE_SYNC_LEASE_SECONDS: '5',
        FLEETPLANE_SYNC_TIMEOUT_SECONDS: '600',
      }).syncControl,
    ).toEqual({
      workers: false,
      concurrency: 16,
      clusterApps: 2,
      compareIntervalSeconds: 60,
      leaseSeconds: 5,
      timeoutSeconds: 600,
    });
    expect(() => loadConfig({ FLEETPLANE_SYNC_LEASE_SECONDS: '1' })).toThrow(
      /FLEETPLANE_SYNC_LEASE_SECONDS: must be an integer from 2 to 3600/,
    );
  });

  it('reads the spawn helper switch and refuses a value that is not a boolean', () => {
    expect(loadConfig({ FLEETPLANE_SPAWN_HELPER: 'false' }).git.spawnHelper).toBe(false);
    expect(loadConfig({ FLEETPLANE_SPAWN_HELPER: 'true' }).git.spawnHelper).toBe(true);
    expect(() => loadConfig({ FLEETPLANE_SPAWN_HELPER: 'off' })).toThrow(
      /FLEETPLANE_SPAWN_HELPER: must be true or false, got "off"/,
    );
  });

  it('reads the sync execution settings and names any out of range', () => {
    expect(
      loadConfig({
        FLEETPLANE_SYNC_REQUEST_TIMEOUT_SECONDS: '5',
        FLEETPLANE_CLUSTER_CONCURRENCY: '2',
        FLEETPLANE_RENDER_CACHE_MB: '0',
        FLEETPLANE_LIVE_CACHE_MB: '0',
        FLEETPLANE_RENDER_TIMEOUT_SECONDS: '30',
        FLEETPLANE_SYNC_HEALTH_TIMEOUT_SECONDS: '60',
        FLEETPLANE_SYNC_WAVE_DELAY_SECONDS: '0',
        FLEETPLANE_SYNC_SETTLE_SECONDS: '0',
      }).syncExecution,
    ).toEqual({
      requestTimeoutSeconds: 5,
      clusterConcurrency: 2,
      renderCacheMb: 0,
      liveCacheMb: 0,
      renderTimeoutSeconds: 30,
      healthTimeoutSeconds: 60,
      waveDelaySeconds: 0,
      settleSeconds: 0,
    });
    expect(() => loadConfig({ FLEETPLANE_CLUSTER_CONCURRENCY: '0' })).toThrow(
      /FLEETPLANE_CLUSTER_CONCURRENCY: must be an integer from 1 to 256/,
    );
    expect(() => loadConfig({ FLEETPLANE_SYNC_SETTLE_SECONDS: '-1' })).toThrow(
      /FLEETPLANE_SYNC_SETTLE_SECONDS: must be an integer from 0 to 600/,
    );
  });

  it('reads every setting', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig(
      {
        PORT: '9000',
        HOST: '0.0.0.0',
        FLEETPLANE_DATA_DIR: '/var/lib/fp',
        DATABASE_URL: 'postgres://u:p@db/fp',
        FLEETPLANE_ENCRYPTION_KEY: key.toString('hex'),
        LOG_LEVEL: 'debug',
        FLEETPLANE_LOG_FORMAT: 'text',
        FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0',
        FLEETPLANE_ALLOW_FILE_REPOS: 'true',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/fp',
      databaseUrl: 'postgres://u:p@db/fp',
      logLevel: 'debug',
      logFormat: 'text',
      allowFileRepos: true,
    });
    expect(config.encryptionKey).toEqual(key);
    expect(config.connectivity.intervalSeconds).toBe(0);
  });

  it('accepts a base64 key', () => {
    expect(
      loadConfig({ FLEETPLANE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') })
        .encryptionKey,
    ).toEqual(Buffer.alloc(32, 1));
  });

  it('reports every problem at once, naming each variable', () => {
    let error: DomainError | undefined;
    try {
      loadConfig({
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        FLEETPLANE_ENCRYPTION_KEY: 'c2hvcnQ=',
        FLEETPLANE_ALLOW_FILE_REPOS: 'maybe',
        DATABASE_URL: 'mysql://x',
      });
    } catch (e) {
      error = e as DomainError;
    }
    expect(error?.details.map((d) => `${d.field}:${d.rule}`)).toEqual([
      'DATABASE_URL:url',
      'FLEETPLANE_ENCRYPTION_KEY:key-length',
      'PORT:integer-range',
      'LOG_LEVEL:enum',
      'FLEETPLANE_ALLOW_FILE_REPOS:boolean',
    ]);
    expect(error?.message).toMatch(/^invalid configuration:\n {2}DATABASE_URL: must be a postgres/);
  });

  it('requires an explicit key with an external database, so replicas share it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/fp' })).toThrow(
      /FLEETPLANE_ENCRYPTION_KEY: is required with DATABASE_URL/,
    );
  });
});
