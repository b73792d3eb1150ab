/**
 * Shared steps of the ApplicationSet lifecycle specs: ApplicationSet
 * documents in Argo CD's format, cluster registration, and waits on what the
 * API shows (Applications, status conditions).
 */
import { stringify } from 'yaml';
import { TestApp } from '../support/app';
import { eventually } from '../support/wait';

/** Generous: the machine is shared and slow; the waits end as soon as the condition holds. */
export const DEADLINE_MS = 20_000;

type Doc = Record<string, unknown>;

/** The Application template every spec uses: `<prefix>-<suffix>` on a destination cluster. */
function template(name: string, destination: Doc, path = 'guestbook'): Doc {
  return {
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/apps.git', targetRevision: 'main', path },
      destination: { ...destination, namespace: 'apps' },
    },
  };
}

/** An ApplicationSet with a cluster generator selecting `matchLabels`. */
export function clusterAppSet(name: string, matchLabels: Record<string, string>, spec: Doc = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ clusters: { selector: { matchLabels } } }],
      template: template(`${name}-{{name}}`, { name: '{{name}}' }),
      ...spec,
    },
  };
}

/** An ApplicationSet with a list generator: one Application per element on cluster `cluster`. */
export function listAppSet(name: string, elements: string[], cluster: string, spec: Doc = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ list: { elements: elements.map((app) => ({ app })) } }],
      template: template(`${name}-{{app}}`, { name: cluster }),
      ...spec,
    },
  };
}

/** An ApplicationSet with a Git directory generator over `apps/*` of `repoURL`, on `cluster`. */
export function gitDirectoryAppSet(name: string, repoURL: string, cluster: string, spec: Doc = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [{ git: { repoURL, revision: 'main', directories: [{ path: 'apps/*' }] } }],
      template: template(`${name}-{{path.basename}}`, { name: cluster }, '{{path}}'),
      ...spec,
    },
  };
}

/** YAML text of one or more documents, as they would sit in a Git repository. */
export function yamlDocs(...docs: object[]): string {
  return docs.map((doc) => stringify(doc)).join('---\n');
}

/** Registers clusters (name → labels) with placeholder servers. */
export async function registerClusters(
  t: TestApp,
  clusters: Record<string, Record<string, string>>,
): Promise<void> {
  for (const [name, labels] of Object.entries(clusters)) {
    await t
      .http()
      .post('/api/v1/clusters')
      .send({ name, server: `https://${name}.example.com`, labels })
      .expect(201);
  }
}

/** Names of the Applications an ApplicationSet owns, in name order. */
export async function appNames(t: TestApp, appSet: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | null = null;
  do {
    const query: Record<string, string> = { applicationset: appSet, limit: '1000' };
    if (token) query.continue = token;
    const res = await t.http().get('/api/v1/applications').query(query);
    if (res.status !== 200) throw new Error(`listing Applications: ${res.status}`);
    names.push(...res.body.items.map((a: { metadata: { name: string } }) => a.metadata.name));
    token = res.body.continue;
  } while (token);
  return names;
}

/** Waits until the ApplicationSet owns exactly `expected` (in name order). */
export async function waitForApps(
  t: TestApp,
  appSet: string,
  expected: string[],
  timeoutMs = DEADLINE_MS,
): Promise<void> {
  const want = JSON.stringify([...expected].sort());
  let last: string[] = [];
  await eventually(
    async () => {
      last = await appNames(t, appSet);
      return JSON.stringify(last) === want;
    },
    timeoutMs,
    `ApplicationSet "${appSet}" owning ${want}`,
  ).catch((error) => {
    throw new Error(`${(error as Error).message}; it owns ${JSON.stringify(last)}`);
  });
}

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The ApplicationSet as `GET /api/v1/applicationsets/{name}` shows it (null when 404). */
export async function getAppSet(t: TestApp, name: string) {
  const res = await t.http().get(`/api/v1/applicationsets/${name}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw new Error(`GET ${name}: ${res.status}`);
  return res.body as {
    metadata: { name: string; generation: number };
    status: {
      conditions?: Condition[];
      applications: number;
      revisions?: { repoURL: string; revision: string; sha: string }[];
      blockedDeletions?: { count: number; limit: number; names: string[] };
      observedGeneration?: number;
      skippedApplications?: { name: string; problems: { field: string; rule: string }[] }[];
      reconciledAt?: string;
      lastChange?: { created: number; updated: number; deleted: number; orphaned: number };
      deletionRequestedAt?: string;
    };
    source: { name: string; path: string; revision: string | null } | null;
  };
}

/** Waits until condition `type` of the ApplicationSet has `status` (and returns it). */
export async function waitForCondition(
  t: TestApp,
  appSet: string,
  type: string,
  status: 'True' | 'False',
  timeoutMs = DEADLINE_MS,
): Promise<Condition> {
  return eventually(
    async () => {
      const body = await getAppSet(t, appSet);
      const found = body?.status.conditions?.find((c) => c.type === type);
      return found?.status === status ? found : null;
    },
    timeoutMs,
    `${appSet}: ${type}=${status}`,
  );
}
