/**
 * The git commands run against a bare mirror: one process per call, object
 * names passed after `--end-of-options` or on stdin, never as options.
 */
import { CatFileBatchParser, BatchRecord } from './cat-file-batch';
import { GitCommandAccess, gitEnvironment } from './git-env';
import { GitRunResult, runGit } from './git-process';
import { parseLsTree, TreeEntryRecord } from './tree-listing';

/** How git is run: binary, per-process time limit, private HOME. */
export interface GitSettings {
  readonly binary: string;
  readonly timeoutMs: number;
  /** Empty private directory used as HOME so no user config applies. */
  readonly homeDir: string;
}

/** Options of one command in a mirror. */
export interface MirrorCommandOptions {
  readonly access?: GitCommandAccess;
  readonly input?: string;
  readonly onStdout?: (chunk: Buffer) => void;
  readonly maxStdoutBytes?: number;
}

/**
 * Runs `git <args>` with `GIT_DIR` set to the mirror (or with no repository
 * when `gitDir` is undefined, for `git init`). Network access only as
 * `options.access` allows; local commands get no transport at all.
 */
export function runInMirror(
  settings: GitSettings,
  gitDir: string | undefined,
  args: readonly string[],
  options: MirrorCommandOptions = {},
): Promise<GitRunResult> {
  const env = gitEnvironment(options.access ?? {}, settings.homeDir);
  if (gitDir) env.GIT_DIR = gitDir;
  return runGit({
    args,
    env,
    cwd: gitDir ?? settings.homeDir,
    timeoutMs: settings.timeoutMs,
    binary: settings.binary,
    input: options.input,
    onStdout: options.onStdout,
    maxStdoutBytes: options.maxStdoutBytes,
  });
}

/**
 * Every blob, link and submodule below `treeish` (a commit SHA, or
 * `<sha>:<dir>` for a subtree), from one `git ls-tree -r -z` call; with
 * `withSizes`, blob sizes too (`-l`).
 */
export async function listTreeRecords(
  settings: GitSettings,
  gitDir: string,
  treeish: string,
  withSizes = false,
): Promise<TreeEntryRecord[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', ...(withSizes ? ['-l'] : [])];
  const { stdout } = await runInMirror(settings, gitDir, [...args, '--end-of-options', treeish]);
  return parseLsTree(stdout);
}

/** How cat-file answers. */
export interface BatchOptions {
  /** `--batch` (content) rather than `--batch-check` (type and size only). */
  readonly content: boolean;
  /** Resolve in-tree links of `<sha>:<path>` inputs; links leaving the tree come back as `outside`. */
  readonly followSymlinks?: boolean;
  /** Larger objects make the call throw an ObjectTooLargeError before their content is read. */
  readonly maxObjectBytes?: number;
}

/**
 * Answers for each input object name (one per line, in order) from one
 * `git cat-file` process. Inputs must not contain line breaks.
 */
export async function catFileBatch(
  settings: GitSettings,
  gitDir: string,
  inputs: readonly string[],
  options: BatchOptions,
): Promise<BatchRecord[]> {
  if (inputs.length === 0) return [];
  const records: BatchRecord[] = [];
  const parser = new CatFileBatchParser(
    options.content,
    (record) => records.push(record),
    options.maxObjectBytes,
  );
  const args = [
    'cat-file',
    options.content ? '--batch' : '--batch-check',
    ...(options.followSymlinks ? ['--follow-symlinks'] : []),
  ];
  await runInMirror(settings, gitDir, args, {
    input: `${inputs.join('\n')}\n`,
    onStdout: (chunk) => parser.push(chunk),
  });
  parser.end();
  if (records.length !== inputs.length) {
    throw new Error(`cat-file answered ${records.length} of ${inputs.length} requests`);
  }
  return records;
}
