/**
 * The whole control plane syncing a fleet, end to end: Postgres (embedded),
 * the control half (leases, workers, scheduling, batched status writes),
 * the execution half, and kube-sim in its own process (HTTPS), so the
 * RSS printed is the control plane's alone.
 * - one Application per cluster on 1,000 clusters (an ApplicationSet with a
 *   cluster generator): the first sync, then the time from the commit that
 *   changes the image to the last Application Synced at that commit
 *   (target < 5 s); Git is polled every second (webhooks aside, the fastest
 *   a commit can be noticed), and again with the commit announced by a
 *   push webhook;
 * - 10,000 Applications over 100 clusters (a matrix of clusters and 100
 *   namespaces): the time from the ApplicationSet to the last Application
 *   Synced and Healthy (target < 60 s), and the control plane's RSS at that
 *   size (target < 384 MiB);
 * - slow rollouts: 64 Applications on one cluster, each a Deployment that
 *   takes 10 s to become available (kube-sim's readiness delay) in wave 0
 *   and a ConfigMap in wave 1, 16 passes of the cluster at once: the time
 *   to the last one Synced and Healthy shows whether passes waiting for a
 *   rollout hold up the cluster's other Applications.
 * Each round runs in a fresh process with the V8 heap limit docs/sync.md
 * recommends for its shape, 240 MiB for 1,000 clusters and 208 MiB for
 * 10,000 Applications on 100 (BENCH_SYNC_HEAP_MB sets both): without one, V8 lets
 * garbage grow the heap to several times what is live. Sizes can be lowered
 * with BENCH_SYNC_FLEET_CLUSTERS, BENCH_SYNC_SCALE_CLUSTERS and
 * BENCH_SYNC_SCALE_NAMESPACES.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { writeHeapSnapshot } from 'node:v8';
import { parse } from 'yaml';
import { TestGitRepo } from '../test/support/git-repo';
import { Benchmark, elapsedMs, mib, percentile } from './benchmark';
import { BenchApp, inParallel, startBenchApp } from './support/bench-app';
import { spawnHelperPid } from '../src/process/process-spawner';
import { profileAllocations, profileCpu } from './support/cpu-profile';

const FLEET_CLUSTERS = Number(process.env.BENCH_SYNC_FLEET_CLUSTERS ?? 1_000);
const SCALE_CLUSTERS = Number(process.env.BENCH_SYNC_SCALE_CLUSTERS ?? 100);
const SCALE_NAMESPACES = Number(process.env.BENCH_SYNC_SCALE_NAMESPACES ?? 100);
const ROLLOUT_APPS = Number(process.env.BENCH_SYNC_ROLLOUT_APPS ?? 64);
const ROLLOUT_READINESS_MS = 10_000;
/**
 * V8 old-space limit of the control plane process (`NODE_OPTIONS=--max-old-space-size=...`) per
 * round, as docs/sync.md advises for that shape of fleet: a thousand clusters' connections and
 * watches need more heap than ten thousand Applications on a hundred.
 */
const HEAP_MB: Record<Round, number> = {
  fleet: Number(process.env.BENCH_SYNC_HEAP_MB ?? 240),
  scale: Number(process.env.BENCH_SYNC_HEAP_MB ?? 208),
  rollout: Number(process.env.BENCH_SYNC_HEAP_MB ?? 208),
};
type Round = 'fleet' | 'scale' | 'rollout';
/** How many times each kind of change (polled, announced by a webhook) is timed on the fleet. */
const CHANGES = Number(process.env.BENCH_SYNC_FLEET_CHANGES ?? 3);
const WEBHOOK_SECRET = 'bench-webhook-secret';
const ENV = {
  FLEETPLANE_GIT_POLL_SECONDS: '1',
  FLEETPLANE_WEBHOOK_GITHUB_SECRET: WEBHOOK_SECRET,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
  // Settings to try (FLEETPLANE_SYNC_CONCURRENCY=…) reach the control plane under test.
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[0].startsWith('FLEETPLANE_') && entry[1] !== undefined,
    ),
  ),
};

function manifests(image: string): Record<string, string> {
  return {
    'web/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`,
    'web/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n`,
    'web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  greeting: hello\n`,
  };
}

interface SimProcess {
  readonly clusters: { name: string; server: string; token: string; caData: string }[];
  /** CPU seconds the kube-sim process used so far (Linux `/proc`; NaN elsewhere). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** kube-sim as a child process (the CLI), its clusters read from the kubeconfig it writes. */
async function startKubeSim(
  clusters: number,
  dir: string,
  extraArgs: readonly string[] = [],
): Promise<SimProcess> {
  const kubeconfig = path.join(dir, `kube-sim-${clusters}.kubeconfig`);
  const cli = path.join(__dirname, '..', 'test', 'kube-sim', 'cli.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [cli, '--clusters', String(clusters), '--port', '0', '--kubeconfig', kubeconfig, ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  // A round that dies (an error, its output closed) must not leave its clusters running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('kubeconfig written')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`kube-sim exited (${code}): ${output}`)));
  });
  const config = parse(await readFile(kubeconfig, 'utf8')) as {
    clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { name: string; user: { token: string } }[];
  };
  const tokens = new Map(config.users.map((u) => [u.name, u.user.token]));
  return {
    clusters: config.clusters.map((c) => ({
      name: c.name,
      server: c.cluster.server,
      token: tokens.get(c.name)!,
      caData: c.cluster['certificate-authority-data'],
    })),
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      process.off('exit', killOnExit);
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function range(values: readonly number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} s`;
}

/** utime + stime of a process from `/proc/<pid>/stat`, in seconds (clock ticks of 1/100 s). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds of the embedded Postgres (a server this process started, its
 * backends and the backends it has reaped); NaN with an external server
 * (`DATABASE_URL`) or without Linux `/proc`.
 */
function embeddedPostgresCpuSeconds(): number {
  try {
    const procs = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return { pid: Number(pid), comm, ppid: Number(fields[1]), fields };
        } catch {
          return undefined; // ended meanwhile
        }
      })
      .filter((proc): proc is NonNullable<typeof proc> => proc?.comm === 'postgres');
    const servers = procs.filter((proc) => proc.ppid === process.pid);
    if (servers.length === 0) return Number.NaN;
    const serverPids = new Set(servers.map((proc) => proc.pid));
    let ticks = 0;
    for (const { ppid, fields } of procs) {
      if (serverPids.has(ppid)) ticks += Number(fields[11]) + Number(fields[12]);
      // The server's own time, and (cutime, cstime) that of the backends it has reaped.
      if (ppid === process.pid)
        ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    }
    return ticks / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU used from now on by this process (the control plane, with the
 * benchmark's own light polling), by kube-sim and by the embedded Postgres:
 * what the two cores were busy with, so a figure can be read for a machine
 * where clusters (and the database) are remote.
 */
function cpuMeter(sim: SimProcess): () => string {
  const app = process.cpuUsage();
  const simStart = sim.cpuSeconds();
  const postgresStart = embeddedPostgresCpuSeconds();
  return () => {
    const used = process.cpuUsage(app);
    const appSeconds = (used.user + used.system) / 1e6;
    const postgres = embeddedPostgresCpuSeconds() - postgresStart;
    return (
      `CPU: control plane ${appSeconds.toFixed(1)} s, kube-sim ${(sim.cpuSeconds() - simStart).toFixed(1)} s` +
      (Number.isNaN(postgres) ? '' : `, Postgres ${postgres.toFixed(1)} s`)
    );
  };
}

async function register(bench: BenchApp, sim: SimProcess): Promise<void> {
  await inParallel(sim.clusters, 16, async (cluster) => {
    const res = await fetch(`${bench.baseUrl}/api/v1/clusters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: cluster.name,
        server: cluster.server,
        labels: { fleet: 'yes' },
        credentials: { bearerToken: cluster.token, caData: cluster.caData },
      }),
    });
    if (res.status !== 201) throw new Error(`registering ${cluster.name}: ${res.status}`);
  });
}

async function createAppSet(bench: BenchApp, doc: object): Promise<void> {
  const res = await fetch(`${bench.baseUrl}/api/v1/applicationsets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(doc),
  });
  if (res.status !== 201) throw new Error(`ApplicationSet: ${res.status} ${await res.text()}`);
}

/** Announces a push to `repoUrl` as GitHub does (signed with the bench's webhook secret). */
async function announcePush(bench: BenchApp, repoUrl: string): Promise<void> {
  const body = JSON.stringify({
    ref: 'refs/heads/main',
    repository: { clone_url: repoUrl, default_branch: 'main' },
    commits: [],
  });
  const signature = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
  const res = await fetch(`${bench.baseUrl}/api/v1/webhooks/git`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${signature}`,
    },
    body,
  });
  if (res.status !== 202) throw new Error(`webhook: ${res.status} ${await res.text()}`);
}

/**
 * Waits until `count` Applications are Synced (and Healthy) at `revision`;
 * polls Postgres. Returns when the first, half and 90 % of them were, in
 * seconds from `t0`: a long tail and a slow start read differently.
 */
async function untilSynced(
  db: Client,
  count: number,
  revision: string,
  timeoutMs: number,
  t0: bigint,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  // The count reads every Application's status; over 10,000 of them, every 25 ms, Postgres
  // spent up to half a core on it, taken from the two cores the control plane is measured on.
  const pollMs = count > 1_000 ? 250 : 25;
  const milestones = [
    { label: 'first', at: 1 },
    { label: 'half', at: Math.ceil(count / 2) },
    { label: '90 %', at: Math.ceil(count * 0.9) },
  ].map((m) => ({ ...m, seconds: Number.NaN }));
  for (;;) {
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM applications
        WHERE status->'sync'->>'status' = 'Synced' AND status->'sync'->>'revision' = $1
          AND status->'health'->>'status' = 'Healthy'`,
      [revision],
    );
    const seconds = elapsedMs(t0) / 1000;
    for (const m of milestones)
      if (Number.isNaN(m.seconds) && rows[0].n >= m.at) m.seconds = seconds;
    if (rows[0].n >= count) {
      return milestones.map((m) => `${m.label} ${m.seconds.toFixed(1)} s`).join(', ');
    }
    if (Date.now() > deadline) {
      const sample = await db.query(`SELECT name, status FROM applications ORDER BY name LIMIT 1`);
      throw new Error(
        `only ${rows[0].n} of ${count} synced in time; e.g. ${JSON.stringify(sample.rows[0] ?? null)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * Waits until the control plane (this process) is at rest: under a tenth
 * of a core for a whole second, at least 3 s and at most 60 s from now.
 * Says how long it took.
 */
async function untilIdle(): Promise<string> {
  const t0 = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  for (;;) {
    const before = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const used = process.cpuUsage(before);
    const seconds = elapsedMs(t0) / 1000;
    if ((used.user + used.system) / 1e6 < 0.1 || seconds > 60)
      return `after ${seconds.toFixed(1)} s`;
  }
}

/** Passes run, cluster API requests by verb and the live cache's size, from the control plane's own metrics. */
async function workDone(bench: BenchApp): Promise<string> {
  const text = await (await fetch(`${bench.baseUrl}/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  let passes = 0;
  const verbs = new Map<string, number>();
  for (const line of text.split('\n')) {
    const count = /^fleetplane_app_reconcile_count\{[^}]*\} (\d+)/.exec(line);
    if (count) passes += Number(count[1]);
    const request = /^fleetplane_cluster_api_requests_total\{[^}]*verb="(\w+)"[^}]*\} (\d+)/.exec(
      line,
    );
    if (request) verbs.set(request[1], (verbs.get(request[1]) ?? 0) + Number(request[2]));
  }
  const requests = [...verbs.entries()].sort((a, b) => b[1] - a[1]);
  const cache = `live cache ${gauge('fleetplane_live_cache_objects')} objects, ${mib(gauge('fleetplane_live_cache_bytes'))}`;
  return `${passes} passes; cluster API requests: ${requests.map(([verb, n]) => `${verb} ${n}`).join(', ')}; ${cache}`;
}

/**
 * Memory of the spawn helper that starts git for the control plane (Linux):
 * its resident set, and the anonymous part of it, its own memory. The rest
 * is the Node binary's pages, which it shares with the control plane.
 */
function helperMemory(): { rss: number; own: number } | undefined {
  const pid = spawnHelperPid();
  if (pid === undefined) return undefined;
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    return { rss: kib('Rss') * 1024, own: kib('Pss_Anon') * 1024 };
  } catch {
    return undefined;
  }
}

function rssAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss;
}

async function fleetRound(print: (line: string) => void, dir: string): Promise<void> {
  const sim = await startKubeSim(FLEET_CLUSTERS, dir);
  const repo = await TestGitRepo.create();
  const bench = await startBenchApp(ENV);
  const db = new Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    const first = await repo.commitFiles(manifests('nginx:1.25'), 'web app');
    let t0 = process.hrtime.bigint();
    await register(bench, sim);
    print(`registered ${FLEET_CLUSTERS} clusters in ${(elapsedMs(t0) / 1000).toFixed(1)} s`);
    t0 = process.hrtime.bigint();
    let cpu = cpuMeter(sim);
    await createAppSet(bench, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'web' },
      spec: {
        generators: [{ clusters: { selector: { matchLabels: { fleet: 'yes' } } } }],
        template: {
          metadata: { name: 'web-{{name}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'main', path: 'web' },
            destination: { name: '{{name}}', namespace: 'default' },
            syncPolicy: { automated: { prune: true, selfHeal: true } },
          },
        },
      },
    });
    let reached = await untilSynced(
      db,
      FLEET_CLUSTERS,
      first,
      Number(process.env.BENCH_SYNC_TIMEOUT_MS ?? 600_000),
      t0,
    );
    print(
      `first sync: ${FLEET_CLUSTERS} Applications Synced and Healthy ${(elapsedMs(t0) / 1000).toFixed(1)} s after the ApplicationSet (${reached}; ${cpu()})`,
    );
    // A commit lands on a fleet at rest: the passes that follow a sync, and the drift watches
    // the first comparisons started (a list of each kind on each cluster), are done.
    print(`  the control plane came to rest ${await untilIdle()}`);
    // Each kind of change is timed CHANGES times: a single figure hides how much the poll's phase
    // and the machine move it.
    const polled: number[] = [];
    const pushed: number[] = [];
    let image = 27;
    for (let round = 1; round <= CHANGES; round++) {
      t0 = process.hrtime.bigint();
      cpu = cpuMeter(sim);
      const profiled = await profileCpu(
        round === 1 ? process.env.BENCH_SYNC_CPU_PROFILE_FLEET : undefined,
      );
      const next = await repo.commitFiles(manifests(`nginx:1.${image++}`), 'new image');
      reached = await untilSynced(db, FLEET_CLUSTERS, next, 600_000, t0);
      await profiled();
      polled.push(elapsedMs(t0) / 1000);
      print(
        `commit changing the image → last of ${FLEET_CLUSTERS} Applications Synced and Healthy: ${polled.at(-1)!.toFixed(2)} s (target < 5 s; Git polled every 1 s; ${reached}; ${cpu()})`,
      );
      await untilIdle();
      // The same with the push announced by a webhook as the commit lands (what GitHub does).
      t0 = process.hrtime.bigint();
      cpu = cpuMeter(sim);
      const announced = await repo.commitFiles(manifests(`nginx:1.${image++}`), 'pushed image');
      await announcePush(bench, repo.url);
      reached = await untilSynced(db, FLEET_CLUSTERS, announced, 600_000, t0);
      pushed.push(elapsedMs(t0) / 1000);
      print(
        `commit announced by a push webhook → last of ${FLEET_CLUSTERS} Applications Synced and Healthy: ${pushed.at(-1)!.toFixed(2)} s (${reached}; ${cpu()})`,
      );
      await untilIdle();
    }
    print(
      `commit → last Synced over ${CHANGES} changes each: Git polled every 1 s median ${percentile(polled, 50).toFixed(2)} s (${range(polled)}); push webhook median ${percentile(pushed, 50).toFixed(2)} s (${range(pushed)}) (target < 5 s)`,
    );
    print(
      `control plane RSS with ${FLEET_CLUSTERS} clusters and Applications: ${mib(rssAfterGc())}`,
    );
    print(`  work done: ${await workDone(bench)}`);
  } finally {
    await db.end();
    await bench.close();
    await sim.stop();
    await repo.cleanup();
  }
}

async function scaleRound(print: (line: string) => void, dir: string): Promise<void> {
  const total = SCALE_CLUSTERS * SCALE_NAMESPACES;
  const sim = await startKubeSim(SCALE_CLUSTERS, dir);
  const repo = await TestGitRepo.create();
  const bench = await startBenchApp(ENV);
  const db = new Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    const sha = await repo.commitFiles(manifests('nginx:1.25'), 'web app');
    await register(bench, sim);
    const before = rssAfterGc();
    const t0 = process.hrtime.bigint();
    const cpu = cpuMeter(sim);
    await createAppSet(bench, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'web' },
      spec: {
        generators: [
          {
            matrix: {
              generators: [
                { clusters: { selector: { matchLabels: { fleet: 'yes' } } } },
                {
                  list: {
                    elements: Array.from({ length: SCALE_NAMESPACES }, (_, i) => ({
                      ns: `team-${String(i).padStart(3, '0')}`,
                    })),
                  },
                },
              ],
            },
          },
        ],
        template: {
          metadata: { name: 'web-{{name}}-{{ns}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'main', path: 'web' },
            destination: { name: '{{name}}', namespace: '{{ns}}' },
            syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
          },
        },
      },
    });
    let peak = 0;
    let reached = '';
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 250);
    const profiled = await profileCpu(process.env.BENCH_SYNC_CPU_PROFILE_SCALE);
    const allocations = await profileAllocations(process.env.BENCH_SYNC_ALLOCATION_PROFILE_SCALE);
    try {
      reached = await untilSynced(db, total, sha, 900_000, t0);
    } finally {
      clearInterval(sampler);
      await profiled();
      await allocations();
    }
    print(
      `${total} Applications over ${SCALE_CLUSTERS} clusters Synced and Healthy ${(elapsedMs(t0) / 1000).toFixed(1)} s after the ApplicationSet (target < 60 s; ${reached}; ${cpu()})`,
    );
    print(
      `control plane RSS: ${mib(before)} before, peak ${mib(peak)} while syncing, ${mib(rssAfterGc())} after (target < 384 MiB)`,
    );
    const spawner = helperMemory();
    if (spawner) {
      print(
        `  spawn helper (starts git): RSS ${mib(spawner.rss)}, its own memory ${mib(spawner.own)} (the rest is the Node binary, shared with the control plane); peak with it ${mib(peak + spawner.own)}`,
      );
    }
    print(`  work done: ${await workDone(bench)}`);
    const usage = process.memoryUsage();
    print(
      `  of which V8 heap ${mib(usage.heapUsed)} used of ${mib(usage.heapTotal)}, external ${mib(usage.external)} (array buffers ${mib(usage.arrayBuffers)})`,
    );
    if (process.env.BENCH_SYNC_HEAP_SNAPSHOT)
      writeHeapSnapshot(process.env.BENCH_SYNC_HEAP_SNAPSHOT);
  } finally {
    await db.end();
    await bench.close();
    await sim.stop();
    await repo.cleanup();
  }
}

async function rolloutRound(print: (line: string) => void, dir: string): Promise<void> {
  const sim = await startKubeSim(1, dir, ['--readiness-delay', String(ROLLOUT_READINESS_MS)]);
  const repo = await TestGitRepo.create();
  const bench = await startBenchApp(ENV);
  const db = new Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    const wave = (n: number) => `  annotations: {argocd.argoproj.io/sync-wave: "${n}"}\n`;
    const sha = await repo.commitFiles(
      {
        'slow/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n${wave(0)}spec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n`,
        'slow/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: after-web\n${wave(1)}data:\n  ready: "yes"\n`,
      },
      'slow rollout',
    );
    await register(bench, sim);
    const t0 = process.hrtime.bigint();
    await createAppSet(bench, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'slow' },
      spec: {
        generators: [
          {
            list: {
              elements: Array.from({ length: ROLLOUT_APPS }, (_, i) => ({
                ns: `slow-${String(i).padStart(3, '0')}`,
              })),
            },
          },
        ],
        template: {
          metadata: { name: 'slow-{{ns}}' },
          spec: {
            project: 'default',
            source: { repoURL: repo.url, targetRevision: 'main', path: 'slow' },
            destination: { name: sim.clusters[0].name, namespace: '{{ns}}' },
            syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] },
          },
        },
      },
    });
    const reached = await untilSynced(db, ROLLOUT_APPS, sha, 600_000, t0);
    print(
      `${ROLLOUT_APPS} Applications on one cluster with ${ROLLOUT_READINESS_MS / 1000} s rollouts and two waves Synced and Healthy ${(elapsedMs(t0) / 1000).toFixed(1)} s after the ApplicationSet (${reached}; one pass alone takes at least ${(ROLLOUT_READINESS_MS / 1000 + 4).toFixed(0)} s)`,
    );
  } finally {
    await db.end();
    await bench.close();
    await sim.stop();
    await repo.cleanup();
  }
}

/** Runs one round in a fresh process, so each RSS figure is that round's alone. */
async function inChild(round: Round, print: (line: string) => void): Promise<void> {
  // The heap limit an operator sets for a control plane sized for 10,000 Applications (docs/sync.md).
  const child = spawn(
    process.execPath,
    ['--expose-gc', `--max-old-space-size=${HEAP_MB[round]}`, __filename, round],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    lines.filter((line) => line.trim()).forEach(print);
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the ${round} round failed (exit ${code})`);
}

export const benchmark: Benchmark = {
  name: 'sync',
  description: `control plane end to end: one Application changed on ${FLEET_CLUSTERS} clusters (commit → last Synced, target < 5 s); ${SCALE_CLUSTERS * SCALE_NAMESPACES} Applications over ${SCALE_CLUSTERS} clusters (target < 60 s); RSS (target < 384 MiB); ${ROLLOUT_APPS} slow rollouts on one cluster`,
  async run(print) {
    await inChild('fleet', print);
    await inChild('scale', print);
    await inChild('rollout', print);
  },
};

if (require.main === module) {
  const round = process.argv[2];
  void (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-bench-sync-'));
    try {
      const print = (line: string) => console.log(line);
      if (round === 'fleet') await fleetRound(print, dir);
      else if (round === 'scale') await scaleRound(print, dir);
      else if (round === 'rollout') await rolloutRound(print, dir);
      else throw new Error(`unknown round "${round}"`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
