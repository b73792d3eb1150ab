/**
 * The list generator (semantics.md §1.2): `elements`, a list of objects
 * whose top-level values are strings (Argo CD's default template mode fails
 * with "error parsing value as string" otherwise) except `values`, a map of
 * strings; and `elementsYaml`, a string parsed only when generating.
 */
import { fieldPath } from '../../../common/field-problem';
import { ListGenerator } from '../../../argo/applicationset.types';
import { isPlainObject } from '../../../labels';
import { GeneratorPosition, readGeneratorTemplate } from './generator-position';
import {
  FieldReader,
  SchemaContext,
  checkStringMap,
  describeValue,
  withoutUndefined,
} from './schema-context';

/** Reads a `list` generator. */
export function readListGenerator(
  ctx: SchemaContext,
  reader: FieldReader,
  position: GeneratorPosition,
): ListGenerator {
  const generator = withoutUndefined({
    elements: reader.list('elements', (element, field) => readElement(ctx, element, field)),
    elementsYaml: reader.string('elementsYaml'),
    template: readGeneratorTemplate(ctx, reader, position),
  });
  if (generator.elements === undefined && generator.elementsYaml === undefined) {
    ctx.warn(
      reader.field,
      'empty-generator',
      'neither elements nor elementsYaml is set: this generator produces no Applications',
    );
  }
  return generator;
}

function readElement(
  ctx: SchemaContext,
  element: unknown,
  field: string,
): Record<string, unknown> | undefined {
  if (!isPlainObject(element)) {
    ctx.problem(field, 'type', `must be an object, found ${describeValue(element)}`);
    return undefined;
  }
  for (const [key, value] of Object.entries(element)) {
    const at = fieldPath(field, key);
    if (key === 'values') {
      checkStringMap(ctx, value, at);
    } else if (typeof value !== 'string') {
      ctx.problem(
        at,
        'type',
        `must be a string, found ${describeValue(value)}: Argo CD's default template mode only accepts strings here ("error parsing value as string"); quote it, or put a map of strings under values`,
      );
    }
  }
  return element;
}
