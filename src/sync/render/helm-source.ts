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

/**
 * Value files of a Helm source as paths below the repository root (pure
 * function): relative to the chart directory, never leaving the repository;
 * URLs are refused (Fleetplane reads from Git only).
 */
export function helmValueFiles(
  chartPath: string,
  helm: HelmSource | undefined,
): { files: string[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const files: string[] = [];
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
    // As in Argo, a leading `/` means the repository root.
    const joined = file.startsWith('/')
      ? file.replace(/^\/+/, '')
      : path.posix.join(chartPath || '.', file);
    const normalized = normalizeSourcePath(path.posix.normalize(joined), field);
    if ('problem' in normalized || normalized.path.startsWith('..')) {
      problems.push({ field, rule: 'relative-path', message: 'must stay inside the repository' });
      return;
    }
    files.push(normalized.path);
  });
  return { files, problems };
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
  const values = helmValueFiles(sourcePath, helm);
  if (values.problems.length > 0) throw DomainError.invalid(values.problems);
  return withWorkspace(async (workspace) => {
    await git.exportTree(repoURL, sha, '', workspace.tree);
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
          valueFiles: values.files.map((file) => path.join(workspace.tree, file)),
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
