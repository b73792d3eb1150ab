/**
 * Git generator, files mode (Argo's `generateParamsForGitFiles`, semantics.md
 * §1.5): select files with Git's legacy pathspec matching, read each once,
 * parse it (JSON, then YAML), flatten it into parameter sets.
 */
import { fieldPath } from '../common/field-problem';
import { compareBytewise } from '../templates';
import { GenerationContext, ParamSet } from './generator';
import { valuesAppender } from './generator-values';
import { FileShapeError, fileParamSets } from './git-file-params';
import { PathspecError, PathspecMatcher, compilePathspec } from './git-pathspec';
import { GitSnapshot, readGitSnapshot } from './git-snapshot';
import type { GitSpecFields } from './git.generator';
import { DocumentParseError, parseParameterDocument } from './parameter-document';
import { GitTreeEntry } from './ports';

/**
 * The union of what each include pattern lists, minus what any exclude
 * pattern lists, in byte-wise path order; for each file, its sets in document
 * order (see fileParamSets) plus `values.<k>`. Errors name the file and never
 * quote its content (GHSA-h6h5-6fmq-rh28).
 */
export async function generateGitFiles(
  spec: GitSpecFields,
  context: GenerationContext,
): Promise<ParamSet[]> {
  const filesField = fieldPath(context.specPath, 'files');
  const includes: PathspecMatcher[] = [];
  const excludes: PathspecMatcher[] = [];
  spec.patterns.forEach((entry, i) => {
    const field = fieldPath(fieldPath(filesField, i), 'path');
    try {
      (entry.exclude ? excludes : includes).push(compilePathspec(entry.path));
    } catch (error) {
      if (error instanceof PathspecError) throw context.invalid(field, 'pathspec', error.message);
      throw error;
    }
  });
  const snapshot = await readGitSnapshot(spec.repoURL, spec.revision, context);
  const selected = snapshot.entries
    .filter((e) => includes.some((m) => m(e.path)) && !excludes.some((m) => m(e.path)))
    .sort((a, b) => compareBytewise(a.path, b.path));
  const addValues = valuesAppender(spec.values, context);
  const sets: ParamSet[] = [];
  for (const entry of selected) {
    for (const map of await readFileParams(entry, snapshot, spec, context)) {
      // fromEntries defines own properties: a file key `__proto__` stays a plain key.
      const params: Record<string, unknown> = Object.fromEntries(map);
      addValues(params);
      sets.push(params);
    }
  }
  return sets;
}

async function readFileParams(
  entry: GitTreeEntry,
  snapshot: GitSnapshot,
  spec: GitSpecFields,
  context: GenerationContext,
): Promise<Map<string, unknown>[]> {
  const filesField = fieldPath(context.specPath, 'files');
  const failure = `unable to process file '${entry.path}'`;
  if (entry.type === 'submodule') {
    throw context.invalid(
      filesField,
      'file',
      `${failure}: it is a submodule, which has no content to read`,
    );
  }
  let content: Buffer;
  try {
    content = await context.sources.readFile(snapshot.repoURL, snapshot.sha, entry.path);
  } catch (error) {
    throw context.upstream(filesField, `${failure}: unable to read it at ${snapshot.sha}`, error);
  }
  try {
    const document = context.sources.derived(
      `document\0${snapshot.repoURL}\0${snapshot.sha}\0${entry.path}`,
      () => parseParameterDocument(content.toString('utf8')),
    );
    return fileParamSets(entry.path, document, spec.pathParamPrefix);
  } catch (error) {
    if (error instanceof DocumentParseError) {
      throw context.invalid(
        filesField,
        'file',
        `${failure}: unable to parse file: ${error.message}`,
      );
    }
    if (error instanceof FileShapeError)
      throw context.invalid(filesField, 'file', `${failure}: ${error.message}`);
    throw error;
  }
}
