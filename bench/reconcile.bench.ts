/**
 * ApplicationSet reconcile at fleet scale, on embedded PostgreSQL with
 * durable commits:
 * (1) one ApplicationSet over 10,000 registered clusters: from the POST to
 *     10,000 Application rows committed (cold), then the same reconcile again
 *     with nothing changed, counting the rows it wrote (target < 2 s, 0 rows);
 * (2) 1,000 clusters and 100 ApplicationSets: latency from a relabel request
 *     to the affected Application rows committed, over 100 relabels
 *     (target p99 < 200 ms).
 * Sync workers are off (an API-only replica): this measures the reconciler.
 */
import { Client } from 'pg';
import { ApplicationSetReconciler } from '../src/applicationsets/reconcile/applicationset-reconciler';
import { Benchmark, elapsedMs, percentile } from './benchmark';
import { fleetLabels } from './registry.bench';
import { BenchApp, startBenchApp } from './support/bench-app';

const ENV = {
  FLEETPLANE_SYNC_WORKERS: 'false',
  FLEETPLANE_RESYNC_SECONDS: '0',
  FLEETPLANE_GIT_POLL_SECONDS: '3600',
};

export const benchmark: Benchmark = {
  name: 'reconcile',
  description:
    '1 ApplicationSet × 10,000 clusters cold and unchanged (target < 2 s, 0 rows written); relabel → Applications committed, 1,000 clusters × 100 ApplicationSets (target p99 < 200 ms)',
  async run(print) {
    await coldAndUnchanged(print);
    await relabelLatency(print);
  },
};

async function coldAndUnchanged(print: (line: string) => void): Promise<void> {
  const CLUSTERS = 10_000;
  const bench = await startBenchApp(ENV);
  const db = new Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    await registerClusters(db, CLUSTERS, print);
    const reconciler = bench.app.get(ApplicationSetReconciler);
    const runs: number[] = [];
    const original = reconciler.reconcile.bind(reconciler);
    reconciler.reconcile = async (id, now) => {
      const started = process.hrtime.bigint();
      try {
        return await original(id, now);
      } finally {
        runs.push(elapsedMs(started));
      }
    };

    const started = process.hrtime.bigint();
    const res = await post(bench, '/api/v1/applicationsets', appSet('fleet', {}));
    const { uid } = ((await res.json()) as { metadata: { uid: string } }).metadata;
    for (;;) {
      const [row] = (await db.query(`SELECT count(*)::int AS n FROM applications`)).rows;
      if (row.n === CLUSTERS) break;
      await sleep(5);
    }
    const coldMs = elapsedMs(started);
    print(
      `cold: POST → ${CLUSTERS} Applications committed in ${(coldMs / 1000).toFixed(2)} s (reconcile itself ${(runs[0] / 1000).toFixed(2)} s)`,
    );

    await waitQuiet(db);
    for (let i = 0; i < 3; i++) {
      const before = await rowVersions(db);
      const t0 = process.hrtime.bigint();
      const result = await reconciler.reconcile(uid);
      const ms = elapsedMs(t0);
      const after = await rowVersions(db);
      let written = Math.abs(after.size - before.size);
      for (const [key, version] of after) if (before.get(key) !== version) written++;
      print(
        `unchanged #${i + 1}: reconcile of ${CLUSTERS} in ${(ms / 1000).toFixed(2)} s, plan ${result.plan?.create.length ?? 0}/${result.plan?.update.length ?? 0}/${result.plan?.delete.length ?? 0} (create/update/delete), rows written: ${written}`,
      );
    }
  } finally {
    await db.end();
    await bench.close();
  }
}

async function relabelLatency(print: (line: string) => void): Promise<void> {
  const CLUSTERS = 1_000;
  const APPSETS = 100;
  const RELABELS = 100;
  const WARM_UP = 5;
  const bench = await startBenchApp(ENV);
  const db = new Client({ connectionString: bench.databaseUrl });
  await db.connect();
  try {
    await registerClusters(db, CLUSTERS, print);
    // ApplicationSet k selects one team (40 teams, ~25 clusters each), some narrowed further.
    const selectors: Record<string, string>[] = [];
    for (let k = 0; k < APPSETS; k++) {
      const selector: Record<string, string> = { team: `team-${k % 40}` };
      if (k >= 40) selector.env = ['prod', 'staging', 'dev'][k % 3];
      if (k >= 70) selector.tier = 'standard';
      selectors.push(selector);
      await post(bench, '/api/v1/applicationsets', appSet(`set-${k}`, selector));
    }
    const labels = new Map(
      Array.from({ length: CLUSTERS }, (_, i) => [clusterName(i), fleetLabels(i)]),
    );
    const expectedOn = (cluster: string): string[] =>
      selectors
        .map((selector, k) => ({ selector, k }))
        .filter(({ selector }) =>
          Object.entries(selector).every(([key, value]) => labels.get(cluster)![key] === value),
        )
        .map(({ k }) => `set-${k}-${cluster}`)
        .sort();
    const total = [...labels.keys()].reduce((n, c) => n + expectedOn(c).length, 0);
    for (;;) {
      const [row] = (await db.query(`SELECT count(*)::int AS n FROM applications`)).rows;
      if (row.n === total) break;
      await sleep(20);
    }
    await waitQuiet(db);
    print(`${APPSETS} ApplicationSets over ${CLUSTERS} clusters: ${total} Applications`);

    // Commits of Application rows announce themselves (trigger, delivered at commit).
    const listener = new Client({ connectionString: bench.databaseUrl });
    await listener.connect();
    await listener.query('LISTEN fleetplane_application_sync');
    const samples: number[] = [];
    let affected = 0;
    try {
      for (let r = 0; r < WARM_UP + RELABELS; r++) {
        const i = (r * 37) % CLUSTERS;
        const cluster = clusterName(i);
        const team = `team-${(i + 1 + r) % 40}`;
        labels.set(cluster, { ...labels.get(cluster)!, team });
        const want = JSON.stringify(expectedOn(cluster));
        const committed = (async () => {
          for (;;) {
            const rows = (
              await db.query(
                `SELECT name FROM applications WHERE cluster_name = $1 AND applicationset_id IS NOT NULL ORDER BY name`,
                [cluster],
              )
            ).rows.map((row) => row.name);
            if (JSON.stringify(rows) === want) return;
            await notifiedOrTimeout(listener, 50);
          }
        })();
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${bench.baseUrl}/api/v1/clusters/${cluster}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ labels: { team } }),
        });
        if (res.status !== 200) throw new Error(`relabel failed: ${res.status}`);
        await committed;
        if (r < WARM_UP) continue;
        samples.push(elapsedMs(t0));
        affected += JSON.parse(want).length;
      }
    } finally {
      await listener.end();
    }
    print(
      `relabel → affected Application rows committed (${RELABELS} relabels after ${WARM_UP} not counted, ~${(affected / RELABELS).toFixed(1)} Applications on the cluster after each): p50 ${percentile(samples, 50).toFixed(1)} ms, p99 ${percentile(samples, 99).toFixed(1)} ms, max ${Math.max(...samples).toFixed(1)} ms`,
    );
  } finally {
    await db.end();
    await bench.close();
  }
}

function clusterName(i: number): string {
  return `cluster-${String(i).padStart(5, '0')}`;
}

/**
 * Inserts clusters in one statement: registration speed is the registry
 * benchmark's subject; here only the reconcile is timed. Relabels still go
 * through the API (and its change events).
 */
async function registerClusters(
  db: Client,
  count: number,
  print: (line: string) => void,
): Promise<void> {
  const started = process.hrtime.bigint();
  const indexes = [...Array(count).keys()];
  await db.query(
    `INSERT INTO clusters (name, server, labels)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`,
    [
      indexes.map(clusterName),
      indexes.map((i) => `https://10.${(i >> 8) & 255}.${i & 255}.1:6443`),
      indexes.map((i) => JSON.stringify(fleetLabels(i))),
    ],
  );
  print(`inserted ${count} clusters in ${(elapsedMs(started) / 1000).toFixed(1)} s`);
}

/** An ApplicationSet with one cluster generator; one Application per selected cluster. */
function appSet(name: string, matchLabels: Record<string, string>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ clusters: { selector: { matchLabels } } }],
      template: {
        metadata: {
          name: `${name}-{{name}}`,
          labels: { env: '{{metadata.labels.env}}', team: '{{metadata.labels.team}}' },
        },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://git.example.com/platform/apps.git',
            targetRevision: 'main',
            path: 'guestbook',
            helm: { valueFiles: ['values-{{metadata.labels.env}}.yaml'] },
          },
          destination: { name: '{{name}}', namespace: 'guestbook' },
          syncPolicy: { automated: { prune: true, selfHeal: true } },
        },
      },
    },
  };
}

async function post(bench: BenchApp, path: string, body: object): Promise<Response> {
  const res = await fetch(`${bench.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res;
}

/** (table/id → xmin/xmax) of every Application and ApplicationSet row. */
async function rowVersions(db: Client): Promise<Map<string, string>> {
  const rows = (
    await db.query(
      `SELECT 'a/' || id AS k, xmin::text || '/' || xmax::text AS v FROM applications
       UNION ALL SELECT 's/' || id, xmin::text || '/' || xmax::text FROM applicationsets`,
    )
  ).rows as { k: string; v: string }[];
  return new Map(rows.map((r) => [r.k, r.v]));
}

/** Waits until no reconcile is queued or running. */
async function waitQuiet(db: Client): Promise<void> {
  for (;;) {
    const [row] = (
      await db.query(`SELECT count(*)::int AS n FROM work_queue WHERE kind = 'applicationset'`)
    ).rows;
    if (row.n === 0) return;
    await sleep(20);
  }
}

function notifiedOrTimeout(client: Client, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.removeListener('notification', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    client.on('notification', done);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
