/**
 * What one pass over a Git source changes (pure function). A file that fails
 * to parse or validate is reported with its path and changes nothing: the
 * ApplicationSets it held keep their last good version (when the broken
 * file's names are unknown, every ApplicationSet from that file is kept).
 * Only an ApplicationSet that is really gone from Git is deleted.
 */
import { ApplicationSet } from '../argo/applicationset.types';
import { SourceFileProblem } from './source.model';

export interface ParsedSourceFile {
  readonly path: string;
  readonly applicationSets: readonly ApplicationSet[];
  readonly problems: readonly SourceFileProblem[];
  /** Names of documents that were refused (keep their last version). */
  readonly rejectedNames: readonly string[];
  /** True when a refused document's name could not be read: keep everything from this file. */
  readonly keepAll: boolean;
}

export interface ExistingAppSet {
  readonly id: string;
  readonly name: string;
  /** Source that manages it (null: REST). */
  readonly sourceId: string | null;
  readonly sourceName: string | null;
  readonly sourcePath: string | null;
}

export interface SourcePlan {
  readonly upsert: readonly { appSet: ApplicationSet; path: string; existingId: string | null }[];
  /** ApplicationSets of this source to delete (file or document removed). */
  readonly remove: readonly ExistingAppSet[];
  readonly problems: readonly SourceFileProblem[];
  readonly names: readonly string[];
}

export function planSource(
  sourceId: string,
  files: readonly ParsedSourceFile[],
  owned: readonly ExistingAppSet[],
  others: ReadonlyMap<string, ExistingAppSet>,
): SourcePlan {
  const problems: SourceFileProblem[] = files.flatMap((f) => f.problems);
  const byName = new Map<string, { appSet: ApplicationSet; path: string }[]>();
  for (const file of files) {
    for (const appSet of file.applicationSets) {
      const list = byName.get(appSet.metadata.name) ?? [];
      list.push({ appSet, path: file.path });
      byName.set(appSet.metadata.name, list);
    }
  }
  const ownedByName = new Map(owned.map((a) => [a.name, a]));
  const kept = new Set<string>();
  const upsert: SourcePlan['upsert'][number][] = [];
  for (const [name, candidates] of byName) {
    if (candidates.length > 1) {
      for (const c of candidates) {
        problems.push({
          path: c.path,
          field: 'metadata.name',
          rule: 'unique',
          message: `ApplicationSet "${name}" is also defined in ${candidates
            .filter((o) => o !== c)
            .map((o) => o.path)
            .join(', ')}`,
        });
      }
      kept.add(name);
      continue;
    }
    const other = others.get(name);
    if (other && other.sourceId !== sourceId) {
      const owner = other.sourceId
        ? `the Git source "${other.sourceName}" (${other.sourcePath})`
        : 'the REST API';
      problems.push({
        path: candidates[0].path,
        field: 'metadata.name',
        rule: 'owned-elsewhere',
        message: `an ApplicationSet named "${name}" is already managed by ${owner}`,
      });
      continue;
    }
    upsert.push({ ...candidates[0], existingId: ownedByName.get(name)?.id ?? null });
  }
  for (const file of files) {
    for (const name of file.rejectedNames) kept.add(name);
  }
  const keepWholeFile = new Set(files.filter((f) => f.keepAll).map((f) => f.path));
  const remove = owned.filter(
    (a) =>
      !byName.has(a.name) &&
      !kept.has(a.name) &&
      !(a.sourcePath !== null && keepWholeFile.has(a.sourcePath)),
  );
  const names = [
    ...new Set([
      ...upsert.map((u) => u.appSet.metadata.name),
      ...owned.filter((a) => !remove.includes(a)).map((a) => a.name),
    ]),
  ].sort();
  return { upsert, remove, problems, names };
}
