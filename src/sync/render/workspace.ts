/**
 * A private scratch directory for one tool run: `tree/` receives the
 * repository exported at the commit, `home/` is the tool's empty HOME. Mode
 * 0700 (another local user must not read a rendered Secret), always removed
 * afterwards.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/** The directories of one workspace. */
export interface Workspace {
  readonly root: string;
  readonly tree: string;
  readonly home: string;
}

/** Runs `work` in a fresh workspace under `parent` (the OS temp dir by default). */
export async function withWorkspace<T>(
  work: (workspace: Workspace) => Promise<T>,
  parent = os.tmpdir(),
): Promise<T> {
  const root = await mkdtemp(path.join(parent, 'fleetplane-render-'));
  try {
    const workspace = { root, tree: path.join(root, 'tree'), home: path.join(root, 'home') };
    await mkdir(workspace.home, { mode: 0o700 });
    return await work(workspace);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
