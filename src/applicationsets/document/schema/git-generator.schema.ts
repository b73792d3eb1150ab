/**
 * The Git generator (semantics.md §1.4, §1.5): `repoURL`, `revision`, and
 * either `directories` or `files` path patterns, plus `pathParamPrefix`,
 * `values` and `requeueAfterSeconds`.
 */
import { GitGenerator, GitPathEntry } from '../../../argo/applicationset.types';
import { revisionProblems } from '../../../git/git-input-rules';
import { repoUrlProblems } from '../../../git/repo-url';
import { GeneratorPosition, readGeneratorTemplate } from './generator-position';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';
import { isTemplated } from './templating';

/** Reads a `git` generator. */
export function readGitGenerator(
  ctx: SchemaContext,
  reader: FieldReader,
  position: GeneratorPosition,
): GitGenerator {
  const readEntry = (entry: unknown, field: string) => readPathEntry(ctx, entry, field);
  const generator = withoutUndefined({
    repoURL: reader.string('repoURL', { required: true, nonEmpty: true }) ?? '',
    revision: reader.string('revision'),
    directories: reader.list('directories', readEntry),
    files: reader.list('files', readEntry),
    pathParamPrefix: reader.string('pathParamPrefix'),
    values: reader.stringMap('values'),
    // 0 turns polling off; unset means the default interval (semantics.md §4).
    requeueAfterSeconds: reader.integer('requeueAfterSeconds', 0),
    template: readGeneratorTemplate(ctx, reader, position),
  });
  if (generator.repoURL !== '' && !isTemplated(generator.repoURL)) {
    // Scheme, characters and embedded credentials are known now; whether file:// is allowed is
    // the server's setting, so the mirror cache decides that when it is asked to fetch.
    ctx.addProblems(
      repoUrlProblems(generator.repoURL, { allowFileRepos: true }, reader.at('repoURL')),
    );
  }
  if (generator.revision && !isTemplated(generator.revision)) {
    ctx.addProblems(revisionProblems(generator.revision, reader.at('revision')));
  }
  const directories = (generator.directories?.length ?? 0) > 0;
  const files = (generator.files?.length ?? 0) > 0;
  if (!directories && !files) {
    ctx.problem(
      reader.field,
      'git-empty',
      'ApplicationSet is empty: a git generator needs directories or files',
    );
  } else if (directories && files) {
    ctx.warn(
      reader.at('files'),
      'ignored',
      'directories and files are both set; Argo CD uses directories and ignores files',
    );
  }
  return generator;
}

function readPathEntry(
  ctx: SchemaContext,
  value: unknown,
  field: string,
): GitPathEntry | undefined {
  const reader = FieldReader.open(ctx, value, field);
  if (!reader) return undefined;
  const entry = withoutUndefined({
    path: reader.string('path', { required: true, nonEmpty: true }) ?? '',
    exclude: reader.boolean('exclude'),
  });
  reader.finish();
  if (entry.path.startsWith('/') && !isTemplated(entry.path)) {
    // semantics.md §6.1: listed paths are relative, so `/apps/*` never matches.
    ctx.warn(
      reader.at('path'),
      'never-matches',
      `paths in the repository have no leading '/', so ${JSON.stringify(entry.path)} never matches; write ${JSON.stringify(entry.path.replace(/^\/+/, ''))}`,
    );
  }
  return entry;
}
