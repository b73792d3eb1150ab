/**
 * `spec.generators`: which generator kinds an entry may set, and how matrix
 * and merge nest (semantics.md §1.1, §1.6, §1.7, §1.8). Argo CD's messages
 * are kept where users search for them.
 */
import {
  ChildGenerator,
  Generator,
  MatrixGenerator,
  MergeGenerator,
} from '../../../argo/applicationset.types';
import { LabelSelector, selectorFromLabelSelector } from '../../../labels';
import { readClusterGenerator } from './cluster-generator.schema';
import {
  CombinationKind,
  GeneratorPosition,
  TOP_LEVEL,
  childPosition,
  readGeneratorTemplate,
} from './generator-position';
import { readGitGenerator } from './git-generator.schema';
import { readListGenerator } from './list-generator.schema';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';

const SUPPORTED_KINDS = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;

/** Argo CD generators Fleetplane does not implement; each is refused, never ignored. */
const UNSUPPORTED_KINDS = ['scmProvider', 'clusterDecisionResource', 'pullRequest', 'plugin'];

/** Reads `spec.generators` from the spec's reader: a non-empty list of entries. */
export function readGenerators(ctx: SchemaContext, spec: FieldReader): Generator[] {
  const generators =
    spec.list('generators', (entry, field) => readGeneratorEntry(ctx, entry, field, TOP_LEVEL), {
      required: true,
    }) ?? [];
  const written = spec.take('generators');
  if (Array.isArray(written) && written.length === 0) {
    ctx.problem(spec.at('generators'), 'required', 'must list at least one generator');
  }
  return generators;
}

/**
 * Reads one generator entry. At the top level several kinds may be set (all
 * run, results concatenated, semantics.md §1.1); a child of matrix or merge
 * sets exactly one; a child of a nested matrix or merge must be terminal.
 */
function readGeneratorEntry(
  ctx: SchemaContext,
  value: unknown,
  field: string,
  position: GeneratorPosition,
): ChildGenerator | undefined {
  const reader = FieldReader.open(ctx, value, field);
  if (!reader) return undefined;
  const supported = SUPPORTED_KINDS.filter((kind) => reader.has(kind));
  const unsupported = UNSUPPORTED_KINDS.filter((kind) => reader.has(kind));
  UNSUPPORTED_KINDS.forEach((kind) =>
    reader.unsupported(
      kind,
      `the ${kind} generator is not supported by Fleetplane; supported generators: ${SUPPORTED_KINDS.join(', ')}`,
    ),
  );
  const kinds = [...supported, ...unsupported];
  if (kinds.length === 0) {
    ctx.problem(
      field,
      'generator-kind',
      `must set a generator: one of ${SUPPORTED_KINDS.join(', ')}`,
    );
  } else if (position.depth > 0 && kinds.length > 1) {
    ctx.problem(
      field,
      'generator-kind',
      `a ${position.parent} child must set exactly one generator, found ${kinds.join(', ')} (Argo CD: "found more than one generator in ${position.parent}.Generators")`,
    );
  }
  const combination = (kind: CombinationKind) => {
    if (position.depth === 2) {
      if (reader.take(kind) !== undefined) {
        ctx.problem(
          reader.at(kind),
          'nesting-depth',
          `a matrix or merge nested in another may only contain list, clusters or git generators; Argo CD drops a third level ("child generator generated no parameters")`,
        );
      }
      return undefined;
    }
    return reader.object(kind, (combined) => readCombination(ctx, combined, kind, position));
  };
  const generator = withoutUndefined({
    list: reader.object('list', (list) => readListGenerator(ctx, list, position)),
    clusters: reader.object('clusters', (clusters) =>
      readClusterGenerator(ctx, clusters, position),
    ),
    git: reader.object('git', (git) => readGitGenerator(ctx, git, position)),
    matrix: combination('matrix') as MatrixGenerator | undefined,
    merge: combination('merge') as MergeGenerator | undefined,
    selector: reader.value('selector', (selector, at) => readPostSelector(ctx, selector, at)),
  });
  reader.finish();
  return generator;
}

/**
 * A post-selector (semantics.md §1.8): keys must be qualified names, values
 * are not validated because they are matched against any parameter (URLs).
 */
function readPostSelector(ctx: SchemaContext, value: unknown, field: string): LabelSelector {
  ctx.addProblems(selectorFromLabelSelector(value, field, { validateValues: false }).problems);
  return value as LabelSelector;
}

function readCombination(
  ctx: SchemaContext,
  reader: FieldReader,
  kind: CombinationKind,
  position: GeneratorPosition,
): MatrixGenerator | MergeGenerator {
  const children =
    reader.list(
      'generators',
      (child, field, index) =>
        readGeneratorEntry(ctx, child, field, childPosition(position, kind, index)),
      { required: true },
    ) ?? [];
  const written = reader.take('generators');
  const count = Array.isArray(written) ? written.length : undefined;
  if (count !== undefined) childCountProblems(ctx, reader.at('generators'), kind, count);
  const template = readGeneratorTemplate(ctx, reader, position);
  if (kind === 'matrix') return withoutUndefined({ generators: children, template });
  const mergeKeys = reader.stringList('mergeKeys', { nonEmpty: true }) ?? [];
  if (mergeKeys.length === 0) {
    ctx.problem(reader.at('mergeKeys'), 'merge-keys', 'no merge keys were specified');
  }
  return withoutUndefined({ generators: children, mergeKeys, template });
}

/** Matrix takes exactly two children, merge two or more (Argo CD's messages). */
function childCountProblems(
  ctx: SchemaContext,
  field: string,
  kind: CombinationKind,
  count: number,
): void {
  if (kind === 'matrix' && count < 2) {
    ctx.problem(
      field,
      'matrix-children',
      'found less than two generators, Matrix support only two',
    );
  } else if (kind === 'matrix' && count > 2) {
    ctx.problem(
      field,
      'matrix-children',
      'found more than two generators, Matrix support only two',
    );
  } else if (kind === 'merge' && count < 2) {
    ctx.problem(
      field,
      'merge-children',
      'found less than two generators, Merge requires two or more',
    );
  }
}
