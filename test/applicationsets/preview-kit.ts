/**
 * Shared set-up for the preview end-to-end specs: ApplicationSet documents in
 * Argo CD's format, cluster registration over REST, the preview call, and a
 * fingerprint of every table so a spec can prove that a preview wrote
 * nothing.
 */
import { Client } from 'pg';
import { TestApp } from '../support/app';

/** The Application template most specs render (flat-mode tags). */
export function template(name: string, destination: Record<string, string>) {
  return {
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/apps.git', targetRevision: 'main', path: 'app' },
      destination: { namespace: 'apps', ...destination },
    },
  };
}

/** An ApplicationSet in Argo CD's format. */
export function appSet(
  name: string,
  generators: unknown[],
  appTemplate: unknown,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name, namespace: 'argocd' },
    spec: { generators, template: appTemplate, ...extra },
  };
}

/** A cluster as the registry is given it. */
export interface ClusterRegistration {
  readonly name: string;
  readonly server: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly project?: string;
}

export async function registerClusters(
  t: TestApp,
  clusters: readonly ClusterRegistration[],
): Promise<void> {
  for (const cluster of clusters) {
    await t.http().post('/api/v1/clusters').send(cluster).expect(201);
  }
}

/**
 * Every row of every table of the suite's database (except the migration
 * log), as text: equal fingerprints mean nothing was inserted, updated or
 * deleted in between.
 */
export async function databaseFingerprint(t: TestApp): Promise<Record<string, string>> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations' ORDER BY 1`,
    );
    const fingerprint: Record<string, string> = {};
    for (const { name } of tables.rows) {
      const ident = client.escapeIdentifier(name);
      const { rows } = await client.query<{ count: number; digest: string | null }>(
        `SELECT count(*)::int AS count, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS digest FROM ${ident} t`,
      );
      fingerprint[name] = `${rows[0].count} rows, ${rows[0].digest ?? 'empty'}`;
    }
    return fingerprint;
  } finally {
    await client.end();
  }
}

/** The count of rows in `table`. */
export async function rowCount(t: TestApp, table: string): Promise<number> {
  const client = new Client({ connectionString: t.db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${client.escapeIdentifier(table)}`,
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

export interface PreviewCall {
  readonly status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

/**
 * POSTs `body` to the preview, as JSON (an object) or as YAML/JSON text with
 * the given content type, and asserts that no table changed.
 */
export async function preview(
  t: TestApp,
  body: object | string,
  contentType = typeof body === 'string' ? 'application/yaml' : 'application/json',
): Promise<PreviewCall> {
  const before = await databaseFingerprint(t);
  const res = await t
    .http()
    .post('/api/v1/applicationsets/preview')
    .set('content-type', contentType)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
  expect(await databaseFingerprint(t)).toEqual(before);
  return { status: res.status, body: res.body };
}

/** Names of the previewed Applications, in response order. */
export function names(call: PreviewCall): string[] {
  return call.body.applications.map((a: { metadata: { name: string } }) => a.metadata.name);
}
