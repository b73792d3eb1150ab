/**
 * Small builders shared by the generator specs and the benchmark.
 */
import { GitPathEntry } from '../../argo/applicationset.types';
import { ClusterRecord } from '../ports';

/** A registered cluster with server `https://<name>`, no project, no annotations unless given. */
export function clusterRecord(
  name: string,
  labels: Record<string, string> = {},
  extra: Partial<ClusterRecord> = {},
): ClusterRecord {
  return { name, server: `https://${name}`, project: null, labels, annotations: {}, ...extra };
}

/** `directories`/`files` entries: a string includes, `[pattern, true]` excludes. */
export function pathEntries(...entries: (string | [string, true])[]): GitPathEntry[] {
  return entries.map((e) => (typeof e === 'string' ? { path: e } : { path: e[0], exclude: true }));
}
