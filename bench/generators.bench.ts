/**
 * Expansion figures (issue 4): a cluster generator over 10,000 clusters and a
 * Git directory generator over a repository with 5,000 application
 * directories. First the engine alone (ports in memory: generation and
 * rendering), then the preview API end to end (generators-preview.ts: REST,
 * PostgreSQL, the Git mirror cache, validation, planning, JSON). Targets:
 * < 1 s each on the project machine (2 cores).
 */
import { ApplicationSet, ApplicationSetSpec } from '../src/argo/applicationset.types';
import { expandApplicationSet } from '../src/generators';
import { ClusterRecord } from '../src/generators/ports';
import {
  InMemoryClusterSource,
  InMemoryGitReader,
} from '../src/generators/testing/in-memory-ports';
import { Benchmark, elapsedMs, percentile } from './benchmark';
import { previewFigures } from './generators-preview';

const RUNS = 7;
const CLUSTER_COUNT = 10_000;
const DIRECTORY_COUNT = 5_000;
const REPO = 'https://git.example/platform/apps.git';

/**
 * A template of typical size: ~20 templated strings, labels, annotations,
 * Helm values. `source` is the tag of the Git path, or a literal path for
 * the cluster generator (whose sets have no `path`).
 */
function template(nameTag: string, source = 'platform'): ApplicationSetSpec['template'] {
  return {
    metadata: {
      name: nameTag,
      labels: {
        'app.kubernetes.io/part-of': 'platform',
        env: '{{metadata.labels.env}}',
        region: '{{ metadata.labels.region }}',
      },
      annotations: { 'fleetplane.io/cluster': '{{name}}', 'fleetplane.io/source': source },
    },
    spec: {
      project: 'platform',
      source: {
        repoURL: REPO,
        targetRevision: '{{values.revision}}',
        path: `charts/${source}`,
        helm: {
          releaseName: '{{nameNormalized}}',
          valueFiles: ['values.yaml', 'values-{{metadata.labels.env}}.yaml'],
          valuesObject: { cluster: { name: '{{name}}', server: '{{server}}' }, replicas: 3 },
        },
      },
      destination: { server: '{{server}}', namespace: '{{values.namespace}}' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

function appSet(spec: Pick<ApplicationSetSpec, 'generators' | 'template'>): ApplicationSet {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'bench' },
    spec,
  };
}

function clusters(): ClusterRecord[] {
  const envs = ['prod', 'staging', 'dev'];
  return Array.from({ length: CLUSTER_COUNT }, (_, i) => ({
    name: `cluster-${String(i).padStart(5, '0')}`,
    server: `https://10.${i >> 8}.${i & 255}.1:6443`,
    project: i % 2 ? 'platform' : null,
    labels: {
      env: envs[i % 3],
      region: `region-${i % 12}`,
      'topology.kubernetes.io/zone': `zone-${i % 36}`,
    },
    annotations: { 'fleetplane.io/owner': `team-${i % 40}` },
  }));
}

function repository(): InMemoryGitReader {
  const files: Record<string, string> = { 'README.md': '', '.github/workflows/ci.yaml': '' };
  for (let i = 0; i < DIRECTORY_COUNT; i++) {
    const dir = `apps/app-${String(i).padStart(4, '0')}`;
    files[`${dir}/kustomization.yaml`] = '';
    files[`${dir}/deployment.yaml`] = '';
    files[`${dir}/overlays/prod/kustomization.yaml`] = '';
  }
  return new InMemoryGitReader({ [REPO]: { HEAD: { sha: 'f'.repeat(40), files } } });
}

async function measure(
  name: string,
  run: () => Promise<number>,
  print: (line: string) => void,
): Promise<void> {
  const samples: number[] = [];
  const cpu: number[] = [];
  let applications = 0;
  for (let i = 0; i < RUNS; i++) {
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    applications = await run();
    samples.push(elapsedMs(start));
    const used = process.cpuUsage(cpuBefore);
    cpu.push(Math.round((used.user + used.system) / 1000));
  }
  print(
    `${name}: ${applications} Applications; p50 ${percentile(samples, 50)} ms, max ${percentile(samples, 100)} ms (first run ${samples[0]} ms, ${RUNS} runs); CPU p50 ${percentile(cpu, 50)} ms`,
  );
}

export const benchmark: Benchmark = {
  name: 'generators',
  description: `expansion engine, then POST /api/v1/applicationsets/preview: a cluster generator over ${CLUSTER_COUNT} clusters and a Git directory generator over ${DIRECTORY_COUNT} directories (target < 1 s each)`,
  async run(print) {
    const clusterSet = appSet({
      generators: [
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
      template: template('{{name}}-platform'),
    });
    const registry = clusters();
    await measure(
      `clusters × ${CLUSTER_COUNT}`,
      async () => {
        const ports = {
          clusters: new InMemoryClusterSource(registry),
          git: new InMemoryGitReader({}),
        };
        return (await expandApplicationSet(clusterSet, ports)).applications.length;
      },
      print,
    );

    const helperSet = appSet({
      generators: clusterSet.spec.generators,
      template: {
        ...template('{{normalize name}}-{{lower metadata.labels.env}}'),
        metadata: {
          name: '{{normalize name}}-{{lower metadata.labels.env}}',
          annotations: {
            tier: '{{#if values.revision}}{{upper values.revision}}{{else}}none{{/if}}',
            zone: '{{default "unknown" metadata.labels.topology.kubernetes.io/zone}}',
          },
        },
      },
    });
    await measure(
      `clusters × ${CLUSTER_COUNT}, Handlebars helpers`,
      async () => {
        const ports = {
          clusters: new InMemoryClusterSource(registry),
          git: new InMemoryGitReader({}),
        };
        return (await expandApplicationSet(helperSet, ports)).applications.length;
      },
      print,
    );

    const gitSet = appSet({
      generators: [
        {
          git: {
            repoURL: REPO,
            directories: [{ path: 'apps/*' }, { path: 'apps/app-00*', exclude: true }],
            values: { revision: 'main', namespace: '{{path.basenameNormalized}}' },
          },
        },
      ],
      template: template('{{path.basename}}', '{{path.basename}}'),
    });
    const git = repository();
    await measure(
      `git directories × ${DIRECTORY_COUNT}`,
      async () => {
        const ports = { clusters: new InMemoryClusterSource([]), git };
        return (await expandApplicationSet(gitSet, ports)).applications.length;
      },
      print,
    );

    print('preview API end to end:');
    await previewFigures((line) => print(`  ${line}`));
  },
};
