/**
 * Materialises a tree of a mirror into a fresh directory without a git
 * working tree: blobs are read through one `git cat-file --batch` process
 * and written by us, so nothing but the planned files and re-pointed links
 * is ever created. Entry-count and size limits are checked before anything
 * is read (GHSA-g687-f2gx-6wm8).
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { planExport } from './export-plan';
import { catFileBatch, GitSettings, listTreeRecords } from './mirror-commands';
import { TreeEntryRecord } from './tree-listing';

/** Limits of one export. */
export interface ExportLimits {
  readonly maxEntries: number;
  readonly maxTotalBytes: number;
  readonly maxFileBytes: number;
}

/** What an export wrote. */
export interface ExportSummary {
  readonly files: number;
  readonly symlinks: number;
  readonly bytes: number;
  /** Paths not written: submodules, and links that dangle or loop. */
  readonly skipped: readonly string[];
}

const WRITE_CONCURRENCY = 64;

/**
 * Writes the tree `treeish` (`<sha>` or `<sha>:<dir>`) of the mirror at
 * `gitDir` into `destDir`, which is created if needed and must be empty.
 * `where` names the repository and directory in error messages.
 */
export async function exportMirrorTree(
  settings: GitSettings,
  gitDir: string,
  treeish: string,
  destDir: string,
  limits: ExportLimits,
  where: string,
): Promise<ExportSummary> {
  const entries = await listTreeRecords(settings, gitDir, treeish, true);
  checkLimits(entries, limits, where);
  const blobs = [...new Set(entries.filter((e) => e.type !== 'submodule').map((e) => e.oid))];
  const records = await catFileBatch(settings, gitDir, blobs, {
    content: true,
    maxObjectBytes: limits.maxFileBytes,
  });
  const contents = new Map<string, Buffer>();
  records.forEach((record, index) => {
    if (record.kind !== 'object' || !record.content) {
      throw new Error(`blob ${blobs[index]} of ${where} could not be read`);
    }
    contents.set(blobs[index], record.content);
  });
  const linkTargets = new Map(
    entries
      .filter((e) => e.type === 'symlink')
      .map((e) => [e.oid, contents.get(e.oid)!.toString('utf8')]),
  );
  const plan = planExport(entries, linkTargets, where);

  await prepareEmptyDirectory(destDir, where);
  let bytes = 0;
  const directories = leafDirectories(plan.files.map((f) => path.dirname(f.path)));
  await inBatches(directories, (directory) =>
    mkdir(path.join(destDir, directory), { recursive: true }),
  );
  await inBatches(plan.files, (file) => {
    const content = contents.get(file.oid)!;
    bytes += content.length;
    // `wx` refuses to write through anything already there (a duplicate tree entry).
    return writeFile(path.join(destDir, file.path), content, {
      flag: 'wx',
      mode: file.executable ? 0o755 : 0o644,
    });
  });
  // Links last, so no file is ever written through one.
  for (const link of plan.links) {
    await mkdir(path.dirname(path.join(destDir, link.path)), { recursive: true });
    await symlink(link.target, path.join(destDir, link.path));
  }
  return { files: plan.files.length, symlinks: plan.links.length, bytes, skipped: plan.skipped };
}

/** Runs `action` on every item, WRITE_CONCURRENCY at a time. */
async function inBatches<T>(
  items: readonly T[],
  action: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < items.length; start += WRITE_CONCURRENCY) {
    await Promise.all(items.slice(start, start + WRITE_CONCURRENCY).map(action));
  }
}

/** Directories not above another one in the list: `mkdir -p` of those creates them all. */
function leafDirectories(directories: readonly string[]): string[] {
  const unique = [...new Set(directories)].sort();
  return unique.filter((dir, i) => !(unique[i + 1] ?? '').startsWith(`${dir}/`) && dir !== '.');
}

function checkLimits(
  entries: readonly TreeEntryRecord[],
  limits: ExportLimits,
  where: string,
): void {
  const total = entries.reduce((sum, entry) => sum + (entry.size ?? 0), 0);
  const problem =
    entries.length > limits.maxEntries
      ? `has ${entries.length} entries, more than the limit of ${limits.maxEntries}`
      : total > limits.maxTotalBytes
        ? `holds ${total} bytes, more than the limit of ${limits.maxTotalBytes}`
        : undefined;
  const large = entries.find((entry) => (entry.size ?? 0) > limits.maxFileBytes);
  if (problem) {
    throw DomainError.invalid([
      { field: 'path', rule: 'git-export-limit', message: `${where} ${problem}` },
    ]);
  }
  if (large) {
    throw DomainError.invalid([
      {
        field: 'path',
        rule: 'git-max-file-size',
        message: `${where}: ${JSON.stringify(large.path)} has ${large.size} bytes, more than the limit of ${limits.maxFileBytes}`,
      },
    ]);
  }
}

async function prepareEmptyDirectory(destDir: string, where: string): Promise<void> {
  await mkdir(destDir, { recursive: true });
  if ((await readdir(destDir)).length > 0) {
    throw DomainError.invalid([
      {
        field: 'destDir',
        rule: 'empty-directory',
        message: `export of ${where} needs an empty directory, ${destDir} is not`,
      },
    ]);
  }
}
