/**
 * The `labelSelector` and `fieldSelector` query parameters of list, watch and
 * deletecollection. Label selectors use the project's parser and matcher
 * (`src/labels`, every operator); field selectors support `=`, `==` and `!=`
 * on `metadata.name`, `metadata.namespace` and the per-kind fields the API
 * server registers (`status.phase` of pods and namespaces, `type` of
 * secrets, ...). Pure functions.
 */
import { Selector, SelectorSyntaxError, matches, parseSelector } from '../../../src/labels';
import { Json, getPath } from '../api/json';
import { KubeObject, objectLabels } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { badRequest } from '../api/status';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** What a list or watch selects. */
export interface ObjectFilter {
  readonly labels: Selector;
  readonly fields: readonly FieldRequirement[];
}

const EXTRA_FIELDS: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
  ],
  Namespace: ['status.phase'],
  Secret: ['type'],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  ReplicaSet: ['status.replicas'],
  Job: ['status.successful'],
};

/** Parses the selector parameters of a request; 400 BadRequest on bad syntax or fields. */
export function parseFilter(
  labelSelector: string | null,
  fieldSelector: string | null,
  type: ResourceType,
): ObjectFilter {
  let labels: Selector;
  try {
    labels = parseSelector(labelSelector ?? '');
  } catch (error) {
    if (error instanceof SelectorSyntaxError)
      throw badRequest(`unable to parse requirement: ${error.message}`);
    throw error;
  }
  const fields = parseFieldSelector(fieldSelector ?? '');
  const allowed = [
    'metadata.name',
    'metadata.namespace',
    ...(type.custom ? [] : (EXTRA_FIELDS[type.kind] ?? [])),
  ];
  for (const { field } of fields) {
    if (!allowed.includes(field)) {
      throw badRequest(
        type.custom
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
    }
  }
  return { labels, fields };
}

/** `a=b,c!=d` with `\` escapes, as `fields.ParseSelector` reads it. */
export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const term of splitUnescaped(text, ',')) {
    if (term.trim() === '') continue;
    const match = /^(.*?)(!=|==|=)(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    out.push({
      field: match[1].trim(),
      operator: match[2] === '!=' ? '!=' : '=',
      value: unescape(match[3].trim()),
    });
  }
  return out;
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      current += text[i] + text[i + 1];
      i++;
    } else if (text[i] === separator) {
      parts.push(current);
      current = '';
    } else {
      current += text[i];
    }
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/** True when `object` passes both selectors. */
export function selects(filter: ObjectFilter, object: KubeObject): boolean {
  if (filter.labels.length && !matches(filter.labels, objectLabels(object))) return false;
  for (const { field, operator, value } of filter.fields) {
    const actual = fieldValue(object, field);
    if ((actual === value) !== (operator === '=')) return false;
  }
  return true;
}

function fieldValue(object: KubeObject, field: string): string {
  const value: Json | undefined = getPath(object, field.split('.'));
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** True when the filter selects everything. */
export function selectsAll(filter: ObjectFilter): boolean {
  return filter.labels.length === 0 && filter.fields.length === 0;
}
