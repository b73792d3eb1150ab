/**
 * Shared set-up for the Git end-to-end specs: temp directories, a mirror
 * cache rooted in one, and an assertion for DomainErrors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainError, DomainErrorCode } from '../../src/common/domain-error';
import { GitMirrorCache, GitMirrorCacheOptions } from '../../src/git';

/** A fresh temp directory, removed by `removeAll`. */
export async function tempDir(prefix: string, created: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `fleetplane-${prefix}-`));
  created.push(dir);
  return dir;
}

export async function removeAll(dirs: string[]): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A mirror cache under `root` that allows file:// repositories unless told otherwise. */
export function mirrorCache(
  root: string,
  options: Partial<GitMirrorCacheOptions> = {},
): GitMirrorCache {
  return new GitMirrorCache({ rootDir: root, allowFileRepos: true, ...options });
}

/** Awaits `promise`, expects a DomainError with `code`, and returns it for further checks. */
export async function domainError(
  promise: Promise<unknown>,
  code: DomainErrorCode,
): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code });
  return error as DomainError;
}
