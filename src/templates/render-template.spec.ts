import { RenderWarning, TemplateRenderError, renderTemplate } from './render-template';

const params = { name: 'c1', 'metadata.labels.team': 'core', key: 'zone', num: '7' };

describe('renderTemplate', () => {
  it('renders every string leaf and every map key, and copies other leaves', () => {
    const template = {
      metadata: {
        name: '{{name}}-app',
        labels: { 'team/{{metadata.labels.team}}': '{{name}}', static: 'x' },
        annotations: { 'topology.kubernetes.io/{{key}}': 'eu' },
      },
      spec: {
        source: { helm: { valuesObject: { replicas: 3, enabled: true, list: ['{{num}}', null] } } },
        syncPolicy: { automated: { prune: false } },
      },
    };
    expect(renderTemplate(template, params)).toEqual({
      value: {
        metadata: {
          name: 'c1-app',
          labels: { 'team/core': 'c1', static: 'x' },
          annotations: { 'topology.kubernetes.io/zone': 'eu' },
        },
        spec: {
          source: { helm: { valuesObject: { replicas: 3, enabled: true, list: ['7', null] } } },
          syncPolicy: { automated: { prune: false } },
        },
      },
      warnings: [],
    });
  });

  it('reports tags left as written with the template path where they occur', () => {
    const template = {
      metadata: { name: '{{nope}}', labels: { '{{k}}': 'v', 'a/b': '{{ x }}' } },
      spec: { sources: [{ path: '{{}}' }] },
    };
    expect(renderTemplate(template, params, 'spec.template')).toEqual({
      value: template,
      warnings: [
        {
          field: 'spec.template.metadata.name',
          message: '{{nope}} left as is: no parameter named "nope"',
        },
        {
          field: "spec.template.metadata.labels['{{k}}']",
          message: '{{k}} left as is: no parameter named "k"',
        },
        {
          field: "spec.template.metadata.labels['a/b']",
          message: '{{ x }} left as is: no parameter named "x"',
        },
        { field: 'spec.template.spec.sources[0].path', message: '{{}} left as is: empty tag' },
      ] satisfies RenderWarning[],
    });
  });

  it('keeps the later of two keys that render alike, with a warning', () => {
    expect(renderTemplate({ labels: { '{{name}}': 'first', c1: 'second' } }, params)).toEqual({
      value: { labels: { c1: 'second' } },
      warnings: [
        {
          field: 'labels.c1',
          message: 'key renders to "c1", as an earlier key of the same map does; this one wins',
        },
      ],
    });
  });

  it('keeps __proto__ and constructor as plain keys', () => {
    const template = JSON.parse('{"__proto__": {"polluted": "{{name}}"}, "constructor": "x"}');
    const { value } = renderTemplate(template, params);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":"c1"},"constructor":"x"}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each<[unknown, string]>([
    [
      { spec: { source: { path: '{{a}} {{b' } } },
      'spec.source.path: unclosed "{{" at offset 6: no "}}" follows it',
    ],
    [
      { metadata: { labels: { '{{#if name}}': 'x' } } },
      "metadata.labels['{{#if name}}']: {{#if name}} is never closed",
    ],
    [
      { list: ['ok', '{{lower (trunc 1 name)}}', '{{upper 5}}'] },
      'list[2]: upper: argument 1 must be a string, got number 5',
    ],
  ])('throws TemplateRenderError naming the field for %j', (template, message) => {
    expect(() => renderTemplate(template, params)).toThrow(TemplateRenderError);
    expect(() => renderTemplate(template, params)).toThrow(message);
  });

  it('does not modify its input', () => {
    const template = { a: ['{{name}}'], b: { '{{name}}': '{{name}}' } };
    const copy = structuredClone(template);
    renderTemplate(template, params);
    expect(template).toEqual(copy);
  });
});
