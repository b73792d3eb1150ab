import { TemplateTag, parseTemplateString } from './fasttemplate';
import { compileHandlebarsProgram } from './handlebars-program';
import { parseTagSyntax } from './helper-syntax';
import { renderString } from './render-string';
import { TagWarning } from './tag-substitution';
import { isDirectCall } from './direct-calls';

const params = {
  name: 'Prod_EU/1',
  'metadata.labels.env': 'prod',
  'metadata.labels.topology.kubernetes.io/zone': 'eu-1a',
  'path[0]': 'apps',
  empty: '',
  count: 3,
  big: 1000000,
  list: ['a', 'b', 2],
  item: { k: 'v', n: 1 },
  url: 'https://x/?a=1&b=<c>',
};

/** What the Handlebars program makes of `template` (the path blocks take). */
function viaHandlebars(template: string): { output: string; warnings: TagWarning[] } {
  const segments = parseTemplateString(template)!;
  const tags = segments.filter((s): s is TemplateTag => typeof s !== 'string');
  const warnings: TagWarning[] = [];
  const output = compileHandlebarsProgram(segments, (i) => parseTagSyntax(tags[i].key)).run(
    params,
    warnings,
  );
  return { output, warnings };
}

function direct(template: string): { output: string; warnings: TagWarning[] } {
  const warnings: TagWarning[] = [];
  return { output: renderString(template, params, warnings), warnings };
}

describe('output-helper calls without Handlebars', () => {
  it.each([
    '{{lower metadata.labels.env}}-{{upper name}}',
    '{{normalize name}}.{{ normalize "A_B" }}',
    '{{replace "." "-" metadata.labels.topology.kubernetes.io/zone}}',
    '{{trunc 3 path[0]}} {{trunc -2 name}}',
    '{{default "none" values.missing}} {{default "none" empty}} {{default "x" name}}',
    '{{default "none" count}}',
    '{{lower (default "X" values.missing)}}',
    '{{upper (replace "-" "_" (normalize name))}}',
    '{{toJson list}} {{toJson item}} {{toJson count}} {{toJson url}}',
    '{{quote name count big}} {{quote null "a"}}',
    '{{join "," list}}',
    '{{lower values.missing}} and {{name}} and {{unknown}}',
    '{{upper (lower values.missing)}}',
    '{{toJson values.missing}}',
    '{{default count values.missing}}',
    '{{lower a b}} {{lower}} {{lower (nope x)}} {{lower "unterminated}}',
    '{{ lower  name }}x{{else}}y{{this}}',
  ])('%s renders as the Handlebars program renders it', (template) => {
    expect(direct(template)).toEqual(viaHandlebars(template));
  });

  it.each(['{{lower count}}', '{{trunc "3" name}}', '{{replace 1 "x" name}}'])(
    '%s fails as the Handlebars program fails',
    (template) => {
      expect(() => direct(template)).toThrow();
      let expected: unknown;
      try {
        viaHandlebars(template);
      } catch (error) {
        expected = error;
      }
      expect(() => direct(template)).toThrow((expected as Error).message);
    },
  );

  it.each<[string, boolean]>([
    ['lower name', true],
    ['default "x" (upper (lower values.a))', true],
    ['lower this.name', false],
    ['lower @index', false],
    ['#if name', false],
    ['name', false],
  ])('%s is evaluated directly: %p', (key, expected) => {
    expect(isDirectCall(parseTagSyntax(key))).toBe(expected);
  });
});
