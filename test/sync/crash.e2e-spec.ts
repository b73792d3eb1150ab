/**
 * A control plane killed in the middle of a sync (SIGKILL, no shutdown at
 * all) leaves its operation Running in Postgres; the next process to hold
 * the cluster's lease (after it expires) resumes the operation and finishes
 * it, so no operation stays Running. The control plane runs as a child
 * process (`src/main.ts`), the sync is made slow with kube-sim latency.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { KubeSim } from '../kube-sim';
import { ControlPlaneProcess, startControlPlane } from '../support/control-plane-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import { AppView, FAST_SYNC_ENV, imageOn, webAppSet, webManifests } from './sync-kit';

jest.setTimeout(180_000);

describe('sync: a control plane killed mid-sync', () => {
  let db: TestDatabase;
  let sim: KubeSim;
  let repo: TestGitRepo;
  let root: string;
  let running: ControlPlaneProcess | undefined;
  const key = randomBytes(32).toString('base64');

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 20 });
    repo = await TestGitRepo.create();
    await repo.commitFiles(webManifests(), 'web app');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-crash-'));
  });

  afterAll(async () => {
    await running?.stop('SIGKILL');
    await sim?.stop();
    await repo?.cleanup();
    await db?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const start = () =>
    startControlPlane({
      env: {
        ...FAST_SYNC_ENV,
        DATABASE_URL: db.url,
        FLEETPLANE_ENCRYPTION_KEY: key,
        FLEETPLANE_DATA_DIR: root,
        FLEETPLANE_ALLOW_FILE_REPOS: 'true',
        FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0',
        FLEETPLANE_SYNC_LEASE_SECONDS: '3',
        LOG_LEVEL: 'warn',
      },
      readyTimeoutMs: 120_000,
    });

  const call = async (cp: ControlPlaneProcess, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${cp.url}${url}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as AppView };
  };

  const storedPhase = async (): Promise<string | undefined> => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query(
        `SELECT status->'operationState'->>'phase' AS phase FROM applications WHERE name = 'web-sim-0'`,
      );
      return rows[0]?.phase;
    } finally {
      await client.end();
    }
  };

  it('leaves no operation Running after a restart', async () => {
    const [cluster] = sim.clusters;
    // Given a sync made slow: every write to the cluster takes 4 s
    cluster.faults.set({ latencyMs: 4_000, verbs: ['patch'] });
    const first = await start();
    running = first;
    expect(
      (
        await call(first, 'POST', '/api/v1/clusters', {
          name: cluster.name,
          server: cluster.server,
          labels: { fleet: 'yes' },
          credentials: { bearerToken: cluster.token, caData: cluster.caData },
        })
      ).status,
    ).toBe(201);
    expect(
      (await call(first, 'POST', '/api/v1/applicationsets', webAppSet('web', repo.url))).status,
    ).toBe(201);
    // When the process is killed while the operation is Running
    await eventually(
      async () =>
        (await call(first, 'GET', '/api/v1/applications/web-sim-0')).body.status?.operationState
          ?.phase === 'Running',
      30_000,
      'the sync Running',
    );
    await first.stop('SIGKILL');
    running = undefined;
    // Then Postgres still says Running (nobody finished it)
    expect(await storedPhase()).toBe('Running');

    // When a new process starts (and the dead one's lease expires)
    cluster.faults.clear();
    const second = await start();
    running = second;
    // Then it resumes the operation and finishes it
    const app: AppView = await eventually(
      async () => {
        const res = await call(second, 'GET', '/api/v1/applications/web-sim-0');
        const state = res.body.status?.operationState;
        return state && state.phase !== 'Running' && state.phase !== 'Terminating'
          ? res.body
          : null;
      },
      60_000,
      'the operation finished after the restart',
    );
    expect(app.status.operationState?.phase).toBe('Succeeded');
    expect(app.status.sync?.status).toBe('Synced');
    expect(app.status.history).toHaveLength(1);
    expect(imageOn(cluster)).toBe('nginx:1.25');
    expect(await storedPhase()).toBe('Succeeded');
  });
});
