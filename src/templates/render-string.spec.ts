import { TemplateSyntaxError } from './fasttemplate';
import { BlockStructureError } from './handlebars-program';
import { HelperArgumentError } from './helpers';
import { renderString } from './render-string';
import { TagWarning } from './tag-substitution';

const params = {
  name: 'cluster-1',
  'metadata.labels.env': 'prod',
  'metadata.labels.topology.kubernetes.io/zone': 'eu-1a',
  'path[0]': 'apps',
  url: `https://x/?a=1&b=<c>"d'\``,
  recursive: '{{name}}',
  empty: '',
  count: 3,
  list: ['a', 'b'],
  item: { k: 'v', 'a.b': 'dotted' },
  clusters: [{ name: 'c1', 'metadata.labels.env': 'dev' }, { name: 'c2' }],
};

function render(template: string): { output: string; warnings: TagWarning[] } {
  const warnings: TagWarning[] = [];
  return { output: renderString(template, params, warnings), warnings };
}

const unknown = (tag: string, key: string): TagWarning => ({
  tag,
  reason: `no parameter named "${key}"`,
});

describe('renderString: Argo flat-mode fidelity (semantics.md §2.1)', () => {
  it.each<[string, string, TagWarning[]]>([
    ['{{name}}', 'cluster-1', []],
    ['{{ name }}', 'cluster-1', []],
    ['{{\tname\u00a0}}', 'cluster-1', []],
    ['{{metadata.labels.env}}', 'prod', []],
    ['{{ path[0] }}', 'apps', []],
    ['{{metadata.labels.topology.kubernetes.io/zone}}', 'eu-1a', []],
    ['{{url}}', `https://x/?a=1&b=<c>"d'\``, []],
    ['{{recursive}}', '{{name}}', []],
    ['{{name}}-{{empty}}-x', 'cluster-1--x', []],
    ['{{name}}\n{{ metadata.labels.env\n}}', 'cluster-1\nprod', []],
    ['no tags', 'no tags', []],
    ['}} {{', '}} {{', []],
    ['{{ foo', '{{ foo', []],
    ['{{name\n}}', '{{name\n}}', []],
    [
      '{{ this-does-not-exist }}',
      '{{ this-does-not-exist }}',
      [unknown('{{ this-does-not-exist }}', 'this-does-not-exist')],
    ],
    ['{{Name}}', '{{Name}}', [unknown('{{Name}}', 'Name')]],
    ['{{}}', '{{}}', [{ tag: '{{}}', reason: 'empty tag' }]],
    ['{{  }}', '{{  }}', [{ tag: '{{  }}', reason: 'empty tag' }]],
    ['{{{name}}}', '{{{name}}}', [unknown('{{{name}}', '{name')]],
    [
      '{{count}}',
      '{{count}}',
      [
        {
          tag: '{{count}}',
          reason:
            'parameter "count" is not a string (only strings are substituted; toJson prints other values)',
        },
      ],
    ],
    [
      '{{constructor}}{{__proto__}}',
      '{{constructor}}{{__proto__}}',
      [unknown('{{constructor}}', 'constructor'), unknown('{{__proto__}}', '__proto__')],
    ],
  ])('%j → %j', (template, output, warnings) => {
    expect(render(template)).toEqual({ output, warnings });
  });

  it('rejects an unclosed tag in a string that is a template', () => {
    expect(() => render('{{a}} {{b')).toThrow(TemplateSyntaxError);
  });
});

describe('renderString: helpers and blocks (docs/templates.md)', () => {
  it.each<[string, string, TagWarning[]]>([
    ['{{lower metadata.labels.env}}-{{upper name}}', 'prod-CLUSTER-1', []],
    ['{{normalize "Prod_EU/1"}}', 'prod-eu-1', []],
    ['{{ replace "." "-" metadata.labels.topology.kubernetes.io/zone }}', 'eu-1a', []],
    ['{{trunc 3 path[0]}}', 'app', []],
    ['{{default "none" values.missing}}', 'none', []],
    ['{{default "none" name}}', 'cluster-1', []],
    ['{{toJson list}} {{toJson item}}', '["a","b"] {"a.b":"dotted","k":"v"}', []],
    ['{{join "," list}}', 'a,b', []],
    ['{{quote url}}', `"https://x/?a=1&b=<c>\\"d'\`"`, []],
    ['{{lower (default "X" values.missing)}}', 'x', []],
    ['{{lower recursive}}', '{{name}}', []],
    [
      '{{lower values.missing}}',
      '{{lower values.missing}}',
      [unknown('{{lower values.missing}}', 'values.missing')],
    ],
    [
      '{{lower a b}}',
      '{{lower a b}}',
      [{ tag: '{{lower a b}}', reason: 'lower takes 1 argument, got 2' }],
    ],
    ['{{toJson count}}x{{name}}', '3xcluster-1', []],
    // Blocks.
    ['{{#if name}}yes{{else}}no{{/if}}', 'yes', []],
    ['{{#if empty}}yes{{else}}no{{/if}}', 'no', []],
    ['{{#unless values.debug}}quiet{{/unless}}', 'quiet', []],
    ['{{#if values.debug}}--debug{{/if}}', '', []],
    ['{{#each list}}{{@index}}={{this}};{{/each}}', '0=a;1=b;', []],
    ['{{#each list}}{{name}} {{/each}}', 'cluster-1 cluster-1 ', []],
    [
      '{{#each clusters}}{{this.name}}:{{ this.metadata.labels.env }},{{/each}}',
      'c1:dev,c2:{{ this.metadata.labels.env }},',
      [
        {
          tag: '{{ this.metadata.labels.env }}',
          reason: 'the current item has no key "metadata.labels.env"',
        },
      ],
    ],
    [
      '{{#each clusters}}{{#if @first}}[{{/if}}{{normalize this.name}}{{#if @last}}]{{/if}}{{/each}}',
      '[c1c2]',
      [],
    ],
    ['{{#each missing}}x{{else}}none{{/each}}', 'none', []],
    ['{{#with item}}{{this.k}}/{{this.a.b}}{{/with}}', 'v/dotted', []],
    ['{{#each item}}{{@key}}={{this}} {{/each}}', 'k=v a.b=dotted ', []],
    // Values are inserted once and never rendered again, inside blocks too.
    ['{{#if name}}{{recursive}}{{/if}}', '{{name}}', []],
    // Literal text around blocks is kept byte for byte (no standalone-line stripping, no escapes).
    ['\\{{#if name}} a\n{{/if}}\\\\ {{{x}}', '\\ a\n\\\\ {{{x}}', [unknown('{{{x}}', '{x')]],
    // Outside a block, block-only syntax is a plain tag (verbatim, with the reason).
    ['{{else}}', '{{else}}', [{ tag: '{{else}}', reason: '{{else}} outside a block' }]],
    [
      '{{this}}',
      '{{this}}',
      [
        {
          tag: '{{this}}',
          reason:
            'this and @-variables refer to the current item, which exists only inside {{#each}} or {{#with}}',
        },
      ],
    ],
    [
      '{{#if name}}{{@index}}{{/if}}',
      '{{@index}}',
      [
        {
          tag: '{{@index}}',
          reason:
            'this and @-variables refer to the current item, which exists only inside {{#each}} or {{#with}}',
        },
      ],
    ],
    ['{{#unknown x}}', '{{#unknown x}}', [unknown('{{#unknown x}}', '#unknown x')]],
  ])('%j → %j', (template, output, warnings) => {
    expect(render(template)).toEqual({ output, warnings });
  });

  it('substitutes a string parameter even when its key reads like a helper call', () => {
    const warnings: TagWarning[] = [];
    const shadowing = { 'lower name': 'from-param', name: 'X', else: 'E' };
    expect(renderString('{{lower name}}/{{else}}', shadowing, warnings)).toBe('from-param/E');
    expect(renderString('{{upper name}}', shadowing, warnings)).toBe('X');
    expect(warnings).toEqual([]);
  });

  it.each<[string, new (...args: never[]) => Error, string]>([
    ['{{lower count}}', HelperArgumentError, 'lower: argument 1 must be a string, got number 3'],
    ['{{#if name}}open', BlockStructureError, '{{#if name}} is never closed'],
    ['{{/if}}', BlockStructureError, '{{/if}} closes no block'],
    ['{{#if name}}{{/each}}', BlockStructureError, '{{/each}} closes {{#if name}}'],
    [
      '{{#if name}}a{{else}}b{{else}}c{{/if}}',
      BlockStructureError,
      'second {{else}} in {{#if name}}',
    ],
    ['{{#if}}{{/if}}', BlockStructureError, '{{#if}}: #if takes 1 argument, got 0'],
  ])('%j throws %p', (template, type, message) => {
    expect(() => render(template)).toThrow(type);
    expect(() => render(template)).toThrow(message);
  });

  it('renders the same for every parameter set from one cached parse', () => {
    const template = '{{#if name}}{{lower name}}{{/if}}';
    expect(renderString(template, { name: 'A' }, [])).toBe('a');
    expect(renderString(template, { name: 'B' }, [])).toBe('b');
    expect(renderString(template, {}, [])).toBe('');
  });
});
