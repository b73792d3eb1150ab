/**
 * Renders a Kustomize source: the repository is exported at the commit into
 * a private workspace (the whole tree, because overlays reach `../base`),
 * `spec.source.kustomize` is applied to a copy of the kustomization file,
 * and `kustomize build` (or `kubectl kustomize`) runs on the source path
 * with a time limit, a scrubbed environment and an output cap.
 */
import { existsSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { KustomizeSource } from '../../argo/application.types';
import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { yamlNestingViolation } from '../../common/nesting-depth';
import { ManifestError } from '../manifests/manifest-problem';
import { SourcedObject, parseRenderedOutput } from '../manifests/parse-manifests';
import { KUSTOMIZATION_FILE_NAMES } from '../manifests/source-files';
import { applyKustomizeOptions, hasKustomizeEdits } from './kustomize-options';
import { RenderGit } from './render.types';
import { RenderTools } from './render-tools';
import { runTool } from './run-tool';
import { withWorkspace } from './workspace';

/** Limits and tools of a tool-based render. */
export interface ToolRenderSettings {
  readonly tools: RenderTools;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  /** Parent of the workspaces (the OS temp dir by default). */
  readonly workDir?: string;
}

/** The parsed output of `kustomize build` for the source. */
export async function renderKustomize(
  git: RenderGit,
  settings: ToolRenderSettings,
  repoURL: string,
  sha: string,
  sourcePath: string,
  options: KustomizeSource | undefined,
): Promise<SourcedObject[]> {
  const where = sourcePath || '.';
  const kustomize = settings.tools.kustomize;
  if (!kustomize) {
    throw new DomainError(
      DomainErrorCode.Configuration,
      `${where} is a Kustomize source, but neither kustomize nor kubectl is installed on the Fleetplane server; install one of them`,
      [{ field: 'spec.source', rule: 'renderer-missing', message: 'needs kustomize or kubectl' }],
    );
  }
  return withWorkspace(async (workspace) => {
    await git.exportTree(repoURL, sha, '', workspace.tree);
    const dir = path.join(workspace.tree, sourcePath);
    if (hasKustomizeEdits(options)) await editKustomization(dir, options, where);
    const output = await runTool({
      command: kustomize.command,
      args: [...kustomize.prefixArgs, dir],
      cwd: workspace.tree,
      home: workspace.home,
      timeoutMs: settings.timeoutMs,
      maxOutputBytes: settings.maxOutputBytes,
      what: `Kustomize build of ${where}`,
      hidePrefix: workspace.tree,
    });
    const parsed = parseRenderedOutput(output, `kustomize build ${where}`);
    if (parsed.problems.length > 0) throw new ManifestError(parsed.problems);
    return parsed.objects;
  }, settings.workDir);
}

async function editKustomization(
  dir: string,
  options: KustomizeSource | undefined,
  where: string,
): Promise<void> {
  const name = KUSTOMIZATION_FILE_NAMES.find((file) => existsSync(path.join(dir, file)));
  if (!name) {
    throw DomainError.invalid([
      {
        field: 'spec.source.path',
        rule: 'kustomization',
        message: `${where} has no kustomization file`,
      },
    ]);
  }
  const file = path.join(dir, name);
  let document: unknown;
  try {
    const text = await readFile(file, 'utf8');
    // Refused before parsing: deep nesting can abort the process (see nesting-depth.ts).
    document = yamlNestingViolation(text) ? undefined : parse(text);
  } catch {
    document = undefined;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw DomainError.invalid([
      {
        field: 'spec.source.kustomize',
        rule: 'kustomization',
        message: `${where}/${name} is not a YAML mapping, so the kustomize options cannot be applied`,
      },
    ]);
  }
  const edit = applyKustomizeOptions(document as Record<string, unknown>, options, (component) =>
    existsSync(path.resolve(dir, component)),
  );
  if (edit.problems.length > 0) throw DomainError.invalid(edit.problems);
  // Replace rather than write through: the file may be a link into another part of the export.
  await unlink(file);
  await writeFile(file, stringify(edit.document), { mode: 0o600 });
}
