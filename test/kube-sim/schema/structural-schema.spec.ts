import { JsonMap } from '../api/json';
import {
  applySchemaDefaults,
  pruneUnknownFields,
  validateAgainstSchema,
} from './structural-schema';

const schema: JsonMap = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer' },
        color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
        port: { 'x-kubernetes-int-or-string': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        note: { type: 'string', nullable: true },
      },
    },
  },
};

describe(pruneUnknownFields.name, () => {
  it.each([
    [
      'drops undeclared fields and reports their paths',
      {
        apiVersion: 'x/v1',
        kind: 'W',
        metadata: { name: 'w' },
        spec: { size: 1, shape: 'round' },
        top: 1,
      },
      { apiVersion: 'x/v1', kind: 'W', metadata: { name: 'w' }, spec: { size: 1 } },
      ['spec.shape', 'top'],
    ],
    [
      'follows additionalProperties and list items',
      { spec: { labels: { a: 'b' }, items: [{ name: 'x', zone: 'y' }] } },
      { spec: { labels: { a: 'b' }, items: [{ name: 'x' }] } },
      ['spec.items[0].zone'],
    ],
    [
      'keeps what x-kubernetes-preserve-unknown-fields preserves',
      { spec: { extra: { anything: { goes: true } } } },
      { spec: { extra: { anything: { goes: true } } } },
      [],
    ],
    [
      'drops nulls of non-nullable fields, keeps nullable ones',
      { spec: { size: null, note: null } },
      { spec: { note: null } },
      [],
    ],
  ])('%s', (_name, input, expected, unknownPaths) => {
    const unknown: string[] = [];
    const frozen = JSON.stringify(input);
    expect(pruneUnknownFields(input, schema, unknown)).toEqual(expected);
    expect(unknown).toEqual(unknownPaths);
    expect(JSON.stringify(input)).toBe(frozen);
  });

  it('returns the same value when nothing is pruned', () => {
    const value = { spec: { size: 1 } };
    expect(pruneUnknownFields(value, schema, [])).toBe(value);
  });
});

describe(applySchemaDefaults.name, () => {
  it('sets defaults of absent fields in objects that exist', () => {
    expect(applySchemaDefaults({ spec: { size: 1 } }, schema)).toEqual({
      spec: { size: 1, color: 'red' },
    });
    expect(applySchemaDefaults({ metadata: {} }, schema)).toEqual({ metadata: {} });
    expect(applySchemaDefaults({ spec: { size: 1, color: 'blue' } }, schema)).toEqual({
      spec: { size: 1, color: 'blue' },
    });
  });
});

describe(validateAgainstSchema.name, () => {
  it.each([
    ['a valid object', { spec: { size: 1, color: 'blue', port: 'http' } }, []],
    [
      'a wrong type, named as kube-openapi names it',
      { spec: { size: 'three' } },
      [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "string": spec.size in body must be of type integer: "string"',
          field: 'spec.size',
        },
      ],
    ],
    [
      'a missing required field',
      { spec: {} },
      [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.size' }],
    ],
    [
      'a value outside the enum',
      { spec: { size: 1, color: 'green' } },
      [
        {
          reason: 'FieldValueNotSupported',
          message: 'Unsupported value: "green": supported values: "red", "blue"',
          field: 'spec.color',
        },
      ],
    ],
    [
      'int-or-string and list items',
      { spec: { size: 1, port: 1.5, items: [{ name: 2 }] } },
      [
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "number": spec.port in body must be of type integer or string: "number"',
          field: 'spec.port',
        },
        {
          reason: 'FieldValueInvalid',
          message:
            'Invalid value: "integer": spec.items[0].name in body must be of type string: "integer"',
          field: 'spec.items[0].name',
        },
      ],
    ],
  ])('%s', (_name, value, causes) => {
    expect(validateAgainstSchema(value, schema)).toEqual(causes);
  });
});
