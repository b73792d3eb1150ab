/**
 * Where a generator sits in `spec.generators`, which changes what it may
 * contain: only top-level entries have templates, only two levels of
 * matrix/merge exist, and the second child of a matrix is re-rendered with
 * the first child's parameters before it runs (semantics.md §1.6).
 */
import { PartialApplicationTemplate } from '../../../argo/applicationset.types';
import { readPartialApplicationTemplate } from './application-template.schema';
import { FieldReader, SchemaContext } from './schema-context';

export type CombinationKind = 'matrix' | 'merge';

export interface GeneratorPosition {
  /** 0: an entry of `spec.generators`; 1: a child of a top-level matrix/merge; 2: a child of a nested one. */
  readonly depth: 0 | 1 | 2;
  /** The matrix or merge this generator is a child of. */
  readonly parent?: CombinationKind;
  /**
   * True when the generator's strings are rendered with a matrix sibling's
   * parameters before it runs, so its values may hold `{{params}}` that are
   * checked only then (a cluster selector value such as `{{path.basename}}`).
   */
  readonly interpolated: boolean;
}

/** The position of an entry of `spec.generators`. */
export const TOP_LEVEL: GeneratorPosition = { depth: 0, interpolated: false };

/** The position of child `index` of a matrix or merge at `parent`. */
export function childPosition(
  parent: GeneratorPosition,
  kind: CombinationKind,
  index: number,
): GeneratorPosition {
  return {
    depth: parent.depth === 0 ? 1 : 2,
    parent: kind,
    interpolated: parent.interpolated || (kind === 'matrix' && index === 1),
  };
}

/**
 * Reads a generator's `template`: a partial Application template at the top
 * level; ignored (with a warning, not silently) inside matrix or merge, as
 * Argo CD ignores it there.
 */
export function readGeneratorTemplate(
  ctx: SchemaContext,
  reader: FieldReader,
  position: GeneratorPosition,
): PartialApplicationTemplate | undefined {
  if (position.depth === 0) {
    return reader.object('template', (template) => readPartialApplicationTemplate(ctx, template));
  }
  reader.ignored(
    'template',
    `Argo CD ignores the template of a generator inside ${position.parent ?? 'matrix or merge'}; move it to the top-level generator or spec.template`,
  );
  return undefined;
}
