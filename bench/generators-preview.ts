/**
 * The preview end to end, as a user calls it: POST
 * /api/v1/applicationsets/preview on the real app (embedded PostgreSQL,
 * durable settings) with 10,000 clusters registered over REST, and a real Git
 * repository of 5,000 application directories read through the mirror cache
 * (file://). Times are curl's, to the last byte of the response; the app's
 * CPU time per preview is given too, because the machine is shared.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ClusterEventBus } from '../src/clusters/cluster-event-bus';
import { TestGitRepo } from '../test/support/git-repo';
import { elapsedMs, percentile } from './benchmark';

const run = promisify(execFile);
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

/** One preview as curl (a separate process, as a user's client) sees it. */
async function curlPreview(
  url: string,
  bodyFile: string,
  outFile: string,
): Promise<{ status: number; seconds: number; bytes: number }> {
  const { stdout } = await run('curl', [
    '--silent',
    '--show-error',
    '--header',
    'content-type: application/json',
    '--data-binary',
    `@${bodyFile}`,
    '--output',
    outFile,
    '--write-out',
    '%{http_code} %{time_total} %{size_download}',
    url,
  ]);
  const [status, seconds, bytes] = stdout.trim().split(' ').map(Number);
  return { status, seconds, bytes };
}

/**
 * POSTs the preview `RUNS` times with curl, timed by curl to the last byte;
 * the app's CPU time per preview is this process's (the client is not in
 * it). Prints the first (cold) run and the warm ones.
 */
async function measure(
  bench: BenchApp,
  label: string,
  doc: object,
  print: (line: string) => void,
): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-bench-preview-'));
  try {
    const bodyFile = path.join(dir, 'appset.json');
    const outFile = path.join(dir, 'preview.json');
    await writeFile(bodyFile, JSON.stringify(doc));
    const samples: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const cpuBefore = process.cpuUsage();
      const result = await curlPreview(
        `${bench.baseUrl}/api/v1/applicationsets/preview`,
        bodyFile,
        outFile,
      );
      const used = process.cpuUsage(cpuBefore);
      if (result.status !== 200) {
        const text = await readFile(outFile, 'utf8');
        throw new Error(`preview failed: ${result.status} ${text.slice(0, 500)}`);
      }
      samples.push(result.seconds * 1000);
      cpu.push((used.user + used.system) / 1000);
      bytes = result.bytes;
    }
    const preview = JSON.parse(await readFile(outFile, 'utf8')) as { applications: unknown[] };
    const warm = samples.slice(1);
    const warmCpu = cpu.slice(1);
    print(
      `${label}: ${preview.applications.length} Applications, ${(bytes / 1024 / 1024).toFixed(1)} MiB response; first ${samples[0].toFixed(0)} ms, then p50 ${percentile(warm, 50).toFixed(0)} ms, max ${percentile(warm, 100).toFixed(0)} ms (curl, ${RUNS} runs; target < 1 s)`,
    );
    print(
      `  app CPU per preview (load-independent): first ${cpu[0].toFixed(0)} ms, then p50 ${percentile(warmCpu, 50).toFixed(0)} ms, max ${percentile(warmCpu, 100).toFixed(0)} ms`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
