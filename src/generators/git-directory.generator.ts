/**
 * Git generator, directories mode (Argo's `generateParamsForGitDirectories`,
 * semantics.md §1.4): one I/O step (the tree at the resolved commit), then
 * pure steps: list directories → filter by patterns → params.
 */
import { GitPathEntry } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { GenerationContext, ParamSet } from './generator';
import { valuesAppender } from './generator-values';
import { listDirectories } from './git-directory-listing';
import { readGitSnapshot } from './git-snapshot';
import type { GitSpecFields } from './git.generator';
import { BadPatternError, goPathMatch } from './go-path-match';
import { directoryPathParams } from './path-params';

/**
 * One set per listed directory that matches at least one include pattern and
 * no exclude pattern (exclude wins whatever the order), in listing order:
 * `path`, `path.basename`, `path.basenameNormalized`, `path[N]` (prefixed
 * with `pathParamPrefix.`), then `values.<k>`. A malformed pattern matches
 * nothing and is reported as a warning, as Argo logs and skips it.
 */
export async function generateGitDirectories(
  spec: GitSpecFields,
  context: GenerationContext,
): Promise<ParamSet[]> {
  const snapshot = await readGitSnapshot(spec.repoURL, spec.revision, context);
  const directories = context.sources.derived(
    `directories\0${snapshot.repoURL}\0${snapshot.sha}`,
    () => listDirectories(snapshot.entries),
  );
  const addValues = valuesAppender(spec.values, context);
  const patterns = spec.patterns.map((entry, i) =>
    compilePattern(entry, fieldPath(fieldPath(context.specPath, 'directories'), i), context),
  );
  return directories
    .filter((directory) => {
      const matching = patterns.filter((pattern) => pattern.matches(directory));
      return matching.some((p) => !p.exclude) && !matching.some((p) => p.exclude);
    })
    .map((directory) => {
      const params: Record<string, unknown> = Object.fromEntries(
        directoryPathParams(directory, spec.pathParamPrefix),
      );
      addValues(params);
      return params;
    });
}

interface DirectoryPattern {
  readonly exclude: boolean;
  matches(directory: string): boolean;
}

function compilePattern(
  { path, exclude }: GitPathEntry,
  field: string,
  context: GenerationContext,
): DirectoryPattern {
  return {
    exclude: exclude === true,
    matches: (directory) => {
      try {
        return goPathMatch(path, directory);
      } catch (error) {
        if (!(error instanceof BadPatternError)) throw error;
        context.warn(fieldPath(field, 'path'), `${error.message}: the pattern matches nothing`);
        return false;
      }
    },
  };
}
