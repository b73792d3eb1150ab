/**
 * Renders a Helm chart kept in Git with `helm template`, when a `helm`
 * binary exists on the server. Without one, a Helm source fails with an
 * error saying so (never a silent skip or an empty render). Charts from Helm
 * repositories (`spec.source.chart`) are refused: Fleetplane reads sources
 * from Git only.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { unknownReferenceMessage, valueFileReference } from '../../argo/application-sources';
import { HelmSource } from '../../argo/application.types';
import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { ManifestError } from '../manifests/manifest-problem';
import { SourcedObject, parseRenderedOutput } from '../manifests/parse-manifests';
import { ToolRenderSettings } from './kustomize-source';
import { RenderGit } from './render.types';
import { runTool } from './run-tool';
import { normalizeSourcePath } from './source-path';
import { withWorkspace } from './workspace';

/** What `helm template` is asked for. */
export interface HelmTemplateInput {
  readonly releaseName: string;
  readonly namespace: string;
  /** The chart directory. */
  readonly chartDir: string;
  /** Value files, in order, as paths in the workspace. */
  readonly valueFiles: readonly string[];
  /** The file holding `values`/`valuesObject`, when set (applied after the value files). */
  readonly inlineValuesFile?: string;
  readonly parameters: readonly { name: string; value: string; forceString?: boolean }[];
}

/** The arguments of `helm template` (pure function), after Argo's `helm.go` `template`. */
export function helmTemplateArgs(input: HelmTemplateInput): string[] {
  const args = ['template', input.releaseName, input.chartDir, '--namespace', input.namespace];
  args.push('--include-crds');
  for (const file of input.valueFiles) args.push('--values', file);
  if (input.inlineValuesFile) args.push('--values', input.inlineValuesFile);
  for (const p of input.parameters) {
    args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${p.value}`);
  }
  return args;
}

/** A value file: a path below the root of the chart's repository, or of the source named `ref`. */
export interface HelmValueFile {
  readonly path: string;
  /** The `ref` of another source of the Application (`$<ref>/...`); absent: the chart's repository. */
  readonly ref?: string;
}

/**
 * Value files of a Helm source as paths below a repository root (pure
 * function): relative to the chart directory, or, for `$<ref>/...` (a
 * multi-source Application), relative to the root of the source with that
 * `ref` (Argo reads `$<ref>` only at the start of the path); never leaving
 * the repository. URLs are refused (Fleetplane reads from Git only), and so
 * is a `$<ref>` no source of the Application declares.
 */
export function helmValueFiles(
  chartPath: string,
  helm: HelmSource | undefined,
  refs: ReadonlySet<string> = new Set(),
): { files: HelmValueFile[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const files: HelmValueFile[] = [];
  (helm?.valueFiles ?? []).forEach((file, index) => {
    const field = fieldPath('spec.source.helm.valueFiles', index);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file)) {
      problems.push({
        field,
        rule: 'git-only',
        message: 'must be a file in the repository, not a URL',
      });
      return;
    }
    const reference = valueFileReference(file);
    if (reference && !refs.has(reference.ref)) {
      problems.push({ field, rule: 'ref', message: unknownReferenceMessage(reference.ref, refs) });
      return;
    }
    // As in Argo, a leading `/` means the repository root, and so does `$<ref>/`.
    const joined = reference
      ? reference.path
      : file.startsWith('/')
        ? file.replace(/^\/+/, '')
        : path.posix.join(chartPath || '.', file);
    const normalized = normalizeSourcePath(path.posix.normalize(joined || '.'), field);
    if ('problem' in normalized || normalized.path.startsWith('..')) {
      problems.push({ field, rule: 'relative-path', message: 'must stay inside the repository' });
      return;
    }
    if (normalized.path === '') {
      problems.push({ field, rule: 'file', message: 'must name a file, not the repository root' });
      return;
    }
    files.push(
      reference ? { path: normalized.path, ref: reference.ref } : { path: normalized.path },
    );
  });
  return { files, problems };
}

/** A source whose files Helm value files reach as `$<ref>/...`: its repository at a commit. */
export interface ReferencedTree {
  readonly repoURL: string;
  readonly sha: string;
}

/** The parsed output of `helm template` for a chart in Git. */
export async function renderHelm(
  git: RenderGit,
  settings: ToolRenderSettings,
  repoURL: string,
  sha: string,
  sourcePath: string,
  helm: HelmSource | undefined,
  release: { name: string; namespace: string },
  refs: ReadonlyMap<string, ReferencedTree> = new Map(),
): Promise<SourcedObject[]> {
  const where = sourcePath || '.';
  const tool = settings.tools.helm;
  if (!tool) {
    throw new DomainError(
      DomainErrorCode.Configuration,
      `${where} is a Helm source, but no helm binary is installed on the Fleetplane server; install Helm 3, or render the chart to plain manifests in Git`,
      [{ field: 'spec.source', rule: 'renderer-missing', message: 'needs the helm binary' }],
    );
  }
  const values = helmValueFiles(sourcePath, helm, new Set(refs.keys()));
  if (values.problems.length > 0) throw DomainError.invalid(values.problems);
  return withWorkspace(async (workspace) => {
    await git.exportTree(repoURL, sha, '', workspace.tree);
    // Each referenced source is exported beside the chart's tree, once, whatever its number of files.
    const refRoot = (ref: string) => path.join(workspace.root, 'refs', ref);
    for (const ref of new Set(values.files.flatMap((file) => (file.ref ? [file.ref] : [])))) {
      const tree = refs.get(ref)!;
      await git.exportTree(tree.repoURL, tree.sha, '', refRoot(ref));
    }
    // As in Argo, valuesObject wins over the values string when both are set.
    const inline =
      helm?.valuesObject !== undefined && helm.valuesObject !== null
        ? stringify(helm.valuesObject)
        : helm?.values || undefined;
    let inlineValuesFile: string | undefined;
    if (inline !== undefined) {
      inlineValuesFile = path.join(workspace.root, 'inline-values.yaml');
      await writeFile(inlineValuesFile, inline, { mode: 0o600 });
    }
    const output = await runTool({
      command: tool.command,
      args: [
        ...tool.prefixArgs,
        ...helmTemplateArgs({
          releaseName: helm?.releaseName || release.name,
          namespace: release.namespace,
          chartDir: path.join(workspace.tree, sourcePath),
          valueFiles: values.files.map((file) =>
            path.join(file.ref ? refRoot(file.ref) : workspace.tree, file.path),
          ),
          inlineValuesFile,
          parameters: helm?.parameters ?? [],
        }),
      ],
      cwd: workspace.tree,
      home: workspace.home,
      timeoutMs: settings.timeoutMs,
      maxOutputBytes: settings.maxOutputBytes,
      what: `helm template of ${where}`,
      hidePrefix: workspace.root,
    });
    const parsed = parseRenderedOutput(output, `helm template ${where}`);
    if (parsed.problems.length > 0) throw new ManifestError(parsed.problems);
    return parsed.objects;
  }, settings.workDir);
}
