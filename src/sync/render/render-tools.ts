/**
 * The rendering tools found on this machine, located once at start-up:
 * Kustomize (a `kustomize` binary, else `kubectl kustomize`, which embeds
 * Kustomize) and Helm (`helm`). A source that needs a missing tool fails
 * with an error saying which tool to install, never silently.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import * as path from 'node:path';

/** How to invoke a tool: the executable and the arguments before the tool's own. */
export interface ToolCommand {
  readonly command: string;
  readonly prefixArgs: readonly string[];
}

/** The tools available for rendering. */
export interface RenderTools {
  /** `kustomize build` or `kubectl kustomize`; undefined when neither exists. */
  readonly kustomize?: ToolCommand;
  /** `helm`; undefined when it does not exist. */
  readonly helm?: ToolCommand;
}

/** Finds an executable on a PATH value, or undefined. */
export async function findExecutable(name: string, pathValue: string): Promise<string | undefined> {
  for (const dir of pathValue.split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * Locates the tools on `pathValue` (the server's PATH by default). A
 * standalone `kustomize` wins over `kubectl kustomize` because it is usually
 * the newer Kustomize.
 */
export async function locateRenderTools(pathValue = process.env.PATH ?? ''): Promise<RenderTools> {
  const kustomize = await findExecutable('kustomize', pathValue);
  const kubectl = kustomize ? undefined : await findExecutable('kubectl', pathValue);
  const helm = await findExecutable('helm', pathValue);
  return {
    ...(kustomize
      ? { kustomize: { command: kustomize, prefixArgs: ['build'] } }
      : kubectl
        ? { kustomize: { command: kubectl, prefixArgs: ['kustomize'] } }
        : {}),
    ...(helm ? { helm: { command: helm, prefixArgs: [] } } : {}),
  };
}
