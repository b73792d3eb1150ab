/**
 * List generator (Argo's `generators/list.go`, semantics.md §1.2): one
 * parameter set per element, then one per `elementsYaml` item.
 */
import { ListGenerator as ListGeneratorSpec } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { GenerationContext, Generator, ParamSet } from './generator';
import { DocumentParseError, parseParameterDocument } from './parameter-document';
import { listField, stringField } from './spec-fields';

export class ListGenerator implements Generator<ListGeneratorSpec> {
  readonly kind = 'list';

  /**
   * `elements` in order, each a map whose values must be strings except
   * `values`, a map of strings expanded to `values.<k>`; then the parsed
   * `elementsYaml` items appended as they are (no string check, no `values`
   * expansion: Argo appends them unchanged).
   */
  async generate(spec: ListGeneratorSpec, context: GenerationContext): Promise<ParamSet[]> {
    const elementsField = fieldPath(context.specPath, 'elements');
    const sets = listField(spec, 'elements', context).map((element, i) =>
      flatElement(element, fieldPath(elementsField, i), context),
    );
    const elementsYaml = stringField(spec, 'elementsYaml', context);
    if (elementsYaml) sets.push(...yamlElements(elementsYaml, context));
    return sets;
  }

  /** Event-driven only: the list changes when the spec changes. */
  requeueAfterSeconds(): number | null {
    return null;
  }
}

function flatElement(element: unknown, field: string, context: GenerationContext): ParamSet {
  if (!isMap(element)) throw context.invalid(field, 'type', 'must be a map');
  const params = new Map<string, string>();
  for (const [key, value] of Object.entries(element)) {
    const at = fieldPath(field, key);
    if (key === 'values') {
      if (!isMap(value))
        throw context.invalid(at, 'type', 'error parsing values map: must be a map of strings');
      for (const [valueKey, valueText] of Object.entries(value)) {
        if (typeof valueText !== 'string') {
          throw context.invalid(fieldPath(at, valueKey), 'type', 'error parsing value as string');
        }
        params.set(`values.${valueKey}`, valueText);
      }
    } else if (typeof value === 'string') {
      params.set(key, value);
    } else {
      throw context.invalid(at, 'type', 'error parsing value as string');
    }
  }
  return Object.fromEntries(params);
}

function yamlElements(text: string, context: GenerationContext): ParamSet[] {
  const field = fieldPath(context.specPath, 'elementsYaml');
  let parsed: unknown;
  try {
    parsed = parseParameterDocument(text);
  } catch (error) {
    if (!(error instanceof DocumentParseError)) throw error;
    throw context.invalid(
      field,
      'yaml',
      `error unmarshling decoded ElementsYaml: ${error.message}`,
    );
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) {
    throw context.invalid(
      field,
      'type',
      'error unmarshling decoded ElementsYaml: expected a list of maps',
    );
  }
  return parsed.map((item, i) => {
    if (item === null) return {};
    if (!isMap(item)) {
      throw context.invalid(
        field,
        'type',
        `error unmarshling decoded ElementsYaml: item ${i} is not a map`,
      );
    }
    return item;
  });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
