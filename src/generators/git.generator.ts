/**
 * Git generator (Argo's `generators/git.go`): `directories` or `files` mode
 * over one repository at one revision. Directories win when both are set.
 */
import { GitGenerator as GitGeneratorSpec, GitPathEntry } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { GenerationContext, Generator, ParamSet } from './generator';
import { generateGitDirectories } from './git-directory.generator';
import { generateGitFiles } from './git-files.generator';
import { listField, mapField, stringField } from './spec-fields';

/** Argo's default Git requeue (`ARGOCD_APPLICATIONSET_CONTROLLER_REQUEUE_AFTER`, 3 min). */
export const DEFAULT_GIT_REQUEUE_SECONDS = 180;

/** The fields both Git modes read, type-checked. */
export interface GitSpecFields {
  readonly repoURL: string;
  readonly revision: string | undefined;
  /** `directories` or `files`, whichever mode runs; each entry has a string `path`. */
  readonly patterns: readonly GitPathEntry[];
  readonly pathParamPrefix: string | undefined;
  readonly values: Record<string, unknown> | undefined;
}

export class GitGenerator implements Generator<GitGeneratorSpec> {
  readonly kind = 'git';

  /** Directories mode when `directories` is non-empty, else files mode; neither is an error. */
  async generate(spec: GitGeneratorSpec, context: GenerationContext): Promise<ParamSet[]> {
    const directories = listField(spec, 'directories', context);
    const files = listField(spec, 'files', context);
    if (directories.length === 0 && files.length === 0) {
      throw context.invalid(
        context.specPath,
        'required',
        'ApplicationSet is empty: set directories or files',
      );
    }
    const mode = directories.length > 0 ? 'directories' : 'files';
    const repoURL = stringField(spec, 'repoURL', context);
    if (!repoURL) {
      throw context.invalid(
        fieldPath(context.specPath, 'repoURL'),
        'required',
        'must be a repository URL',
      );
    }
    const fields: GitSpecFields = {
      repoURL,
      revision: stringField(spec, 'revision', context),
      patterns: checkedPatterns(mode === 'directories' ? directories : files, mode, context),
      pathParamPrefix: stringField(spec, 'pathParamPrefix', context),
      values: mapField(spec, 'values', context),
    };
    return mode === 'directories'
      ? generateGitDirectories(fields, context)
      : generateGitFiles(fields, context);
  }

  /** `requeueAfterSeconds` when set (0: no timer), else 3 minutes (semantics.md §4). */
  requeueAfterSeconds(spec: GitGeneratorSpec): number | null {
    if (spec.requeueAfterSeconds === undefined || spec.requeueAfterSeconds === null) {
      return DEFAULT_GIT_REQUEUE_SECONDS;
    }
    return spec.requeueAfterSeconds > 0 ? spec.requeueAfterSeconds : null;
  }
}

function checkedPatterns(
  entries: unknown[],
  mode: string,
  context: GenerationContext,
): GitPathEntry[] {
  return entries.map((entry, i) => {
    const path = (entry as Partial<GitPathEntry> | null)?.path;
    if (typeof path !== 'string') {
      const field = fieldPath(fieldPath(fieldPath(context.specPath, mode), i), 'path');
      throw context.invalid(field, 'required', 'must be a path pattern');
    }
    return { path, exclude: (entry as GitPathEntry).exclude === true };
  });
}
