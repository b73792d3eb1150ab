/**
 * The preview end to end, as a user calls it: POST
 * /api/v1/applicationsets/preview on the real app (embedded PostgreSQL,
 * durable settings) with 10,000 clusters registered over REST, and a real Git
 * repository of 5,000 application directories read through the mirror cache
 * (file://). Times are client round trips, to the last byte of the response.
 */
import { Client } from 'pg';
import { ClusterEventBus } from '../src/clusters/cluster-event-bus';
import { TestGitRepo } from '../test/support/git-repo';
import { elapsedMs, percentile } from './benchmark';
import { BenchApp, inParallel, startBenchApp } from './support/bench-app';

const CLUSTERS = 10_000;
const DIRECTORIES = 5_000;
const RUNS = 5;

/**
 * A typical template (labels, annotations, Helm values, ~12 templated
 * strings) whose tags all name parameters the generator gives: `tags` maps
 * each role to a parameter of the cluster or the Git generator.
 */
function template(tags: {
  name: string;
  label: string;
  annotation: string;
  path: string;
  destination: Record<string, string>;
}) {
  return {
    metadata: {
      name: tags.name,
      labels: { 'app.kubernetes.io/part-of': 'platform', group: tags.label },
      annotations: { 'fleetplane.io/origin': tags.annotation },
    },
    spec: {
      project: 'platform',
      source: {
        repoURL: 'https://git.example.com/platform/apps.git',
        targetRevision: '{{values.revision}}',
        path: tags.path,
        helm: {
          releaseName: tags.name,
          valueFiles: ['values.yaml', `values-${tags.label}.yaml`],
          valuesObject: { origin: { name: tags.annotation, group: tags.label }, replicas: 3 },
        },
      },
      destination: { namespace: '{{values.namespace}}', ...tags.destination },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

function appSet(name: string, generators: unknown[], appTemplate: unknown) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace: 'argocd' },
    spec: { generators, template: appTemplate },
  };
}

async function registerClusters(bench: BenchApp, print: (line: string) => void): Promise<void> {
  const envs = ['prod', 'staging', 'dev'];
  const started = process.hrtime.bigint();
  await inParallel([...Array(CLUSTERS).keys()], 16, async (i) => {
    const res = await fetch(`${bench.baseUrl}/api/v1/clusters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: `cluster-${String(i).padStart(5, '0')}`,
        server: `https://10.${(i >> 8) & 255}.${i & 255}.1:6443`,
        labels: { env: envs[i % 3], region: `region-${i % 12}` },
        annotations: { 'fleetplane.io/owner': `team-${i % 40}` },
      }),
    });
    if (res.status !== 201) throw new Error(`registration ${i} failed: ${res.status}`);
  });
  print(
    `set-up: ${CLUSTERS} clusters registered over REST in ${(elapsedMs(started) / 1000).toFixed(1)} s`,
  );
  await quiesce(bench);
}

/**
 * Waits until the app has delivered every cluster event the registrations
 * caused, so that the previews are not timed against the event fan-out.
 */
async function quiesce(bench: BenchApp): Promise<void> {
  const client = new Client({ connectionString: bench.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      'SELECT coalesce(max(id), 0) AS id FROM cluster_events',
    );
    const last = Number(rows[0].id);
    const bus = bench.app.get(ClusterEventBus);
    const deadline = Date.now() + 600_000;
    while (bus.lastEventId < last) {
      if (Date.now() > deadline) {
        throw new Error(`cluster events not delivered: ${bus.lastEventId} of ${last}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

async function createRepository(print: (line: string) => void): Promise<TestGitRepo> {
  const started = process.hrtime.bigint();
  const repo = await TestGitRepo.create();
  const files: Record<string, string> = {
    'README.md': '# platform\n',
    '.github/ci.yaml': 'on: push\n',
  };
  for (let i = 0; i < DIRECTORIES; i++) {
    const dir = `apps/app-${String(i).padStart(4, '0')}`;
    files[`${dir}/kustomization.yaml`] = 'resources: [deployment.yaml]\n';
    files[`${dir}/deployment.yaml`] = `kind: Deployment\nmetadata: {name: app-${i}}\n`;
  }
  await repo.commitFiles(files, `${DIRECTORIES} applications`);
  print(
    `set-up: Git repository with ${DIRECTORIES} application directories (${Object.keys(files).length} files) in ${(elapsedMs(started) / 1000).toFixed(1)} s`,
  );
  return repo;
}

/** POSTs the preview `RUNS` times; prints the first (cold) and the warm runs. */
async function measure(
  bench: BenchApp,
  label: string,
  doc: object,
  print: (line: string) => void,
): Promise<void> {
  const body = JSON.stringify(doc);
  const samples: number[] = [];
  let applications = 0;
  let bytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${bench.baseUrl}/api/v1/applicationsets/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    // Timed to the last byte received, as curl would see it; parsing is the client's business.
    const received = Buffer.from(await res.arrayBuffer());
    samples.push(elapsedMs(started));
    const text = received.toString('utf8');
    if (res.status !== 200) throw new Error(`preview failed: ${res.status} ${text.slice(0, 500)}`);
    bytes = received.length;
    applications = (JSON.parse(text) as { applications: unknown[] }).applications.length;
  }
  const warm = samples.slice(1);
  print(
    `${label}: ${applications} Applications, ${(bytes / 1024 / 1024).toFixed(1)} MiB response; first ${samples[0].toFixed(0)} ms, then p50 ${percentile(warm, 50).toFixed(0)} ms, max ${percentile(warm, 100).toFixed(0)} ms (${RUNS} runs; target < 1 s)`,
  );
}

/** Registers the fleet, builds the repository, and prints the preview figures. */
export async function previewFigures(print: (line: string) => void): Promise<void> {
  const bench = await startBenchApp();
  let repo: TestGitRepo | undefined;
  try {
    await registerClusters(bench, print);
    repo = await createRepository(print);
    await measure(
      bench,
      `POST preview, cluster generator over ${CLUSTERS} registered clusters`,
      appSet(
        'fleet',
        [
          {
            clusters: {
              selector: {
                matchExpressions: [
                  { key: 'env', operator: 'In', values: ['prod', 'staging', 'dev'] },
                ],
              },
              values: { revision: '{{metadata.labels.env}}', namespace: 'apps-{{nameNormalized}}' },
            },
          },
        ],
        template({
          name: '{{nameNormalized}}-platform',
          label: '{{metadata.labels.env}}',
          annotation: '{{server}}',
          path: 'charts/platform',
          destination: { name: '{{name}}' },
        }),
      ),
      print,
    );
    await measure(
      bench,
      `POST preview, Git directory generator over ${DIRECTORIES} directories (file://; first run clones)`,
      appSet(
        'apps',
        [
          {
            git: {
              repoURL: repo.url,
              directories: [{ path: 'apps/*' }, { path: 'apps/app-00*', exclude: true }],
              values: { revision: 'main', namespace: '{{path.basenameNormalized}}' },
            },
          },
        ],
        template({
          name: '{{path.basenameNormalized}}',
          label: '{{path[0]}}',
          annotation: '{{path}}',
          path: '{{path}}',
          destination: { name: 'cluster-00000' },
        }),
      ),
      print,
    );
  } finally {
    await repo?.cleanup();
    await bench.close();
  }
}
