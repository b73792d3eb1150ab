/**
 * Parses `git ls-tree -r -z [-l]` output (pure).
 *
 * The Git-directory generator lists trees of repositories with thousands of
 * application directories on every reconcile, so the listing comes from one
 * git process and is parsed in one pass over a single decoded string.
 */
import { GitTreeEntry } from '../generators/ports';

/** A tree entry with what reading or exporting it needs. */
export interface TreeEntryRecord extends GitTreeEntry {
  /** Git file mode: `100644`, `100755`, `120000` or `160000`. */
  readonly mode: string;
  /** Object name of the blob (file content or link target) or of the submodule commit. */
  readonly oid: string;
  /** Blob size in bytes, only with `-l`. */
  readonly size?: number;
}

/**
 * Parses NUL-terminated `ls-tree -r` records (`<mode> <type> <oid>[ <size>]\t<path>`).
 * Throws on a record it does not understand rather than dropping it: a
 * listing is complete or an error, never partial.
 */
export function parseLsTree(output: Buffer | string): TreeEntryRecord[] {
  const text = typeof output === 'string' ? output : output.toString('utf8');
  const entries: TreeEntryRecord[] = [];
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\0', start);
    if (end === -1) throw new Error('ls-tree output ends in the middle of a record');
    entries.push(parseRecord(text, start, end));
    start = end + 1;
  }
  return entries;
}

function parseRecord(text: string, start: number, end: number): TreeEntryRecord {
  const tab = text.indexOf('\t', start);
  if (tab === -1 || tab > end)
    throw new Error(`ls-tree record without a path: ${text.slice(start, end)}`);
  const [mode, objectType, oid, size] = text.slice(start, tab).split(/ +/);
  const path = text.slice(tab + 1, end);
  const type = entryType(mode, objectType);
  if (!type || !oid || !path)
    throw new Error(`unexpected ls-tree record: ${text.slice(start, tab)}`);
  return size === undefined || size === '-'
    ? { path, type, mode, oid }
    : { path, type, mode, oid, size: Number(size) };
}

function entryType(mode: string, objectType: string): GitTreeEntry['type'] | undefined {
  if (objectType === 'blob') {
    if (mode === '120000') return 'symlink';
    // 100644 and 100755, and 100664 written by very old git versions.
    if (mode.startsWith('100')) return 'file';
  }
  if (objectType === 'commit' && mode === '160000') return 'submodule';
  return undefined;
}

const narrowed = new WeakMap<readonly TreeEntryRecord[], readonly GitTreeEntry[]>();

/**
 * The narrow entries the `GitReader` port returns (path and type only). The
 * same (cached) listing gives the same array, so what callers derive from
 * it can be memoised by identity (`listDirectories`).
 */
export function toGitTreeEntries(records: readonly TreeEntryRecord[]): readonly GitTreeEntry[] {
  let entries = narrowed.get(records);
  if (!entries) {
    entries = Object.freeze(records.map(({ path, type }) => ({ path, type })));
    narrowed.set(records, entries);
  }
  return entries;
}
