import {
  TemplateSegment,
  TemplateSyntaxError,
  goTrimSpace,
  parseTemplateString,
} from './fasttemplate';

describe('parseTemplateString', () => {
  it.each<[string, TemplateSegment[] | null]>([
    ['no tags', null],
    ['', null],
    ['{{ foo', null],
    ['}} {{', null],
    ['{{a\n}}', null],
    ['{{a}}', [{ raw: 'a', key: 'a' }]],
    ['x{{ a.b }}y', ['x', { raw: ' a.b ', key: 'a.b' }, 'y']],
    ['{{}}', [{ raw: '', key: '' }]],
    ['{{{a}}}', [{ raw: '{a', key: '{a' }, '}']],
    ['{{a{{b}}', [{ raw: 'a{{b', key: 'a{{b' }]],
    // One complete tag on a line makes the whole string a template; tags may then span lines.
    ['{{a}}\n{{ b\n}}', [{ raw: 'a', key: 'a' }, '\n', { raw: ' b\n', key: 'b' }]],
    ['{{a\r}}', [{ raw: 'a\r', key: 'a' }]],
  ])('%j', (input, expected) => {
    expect(parseTemplateString(input)).toEqual(expected);
  });

  it.each<[string, number]>([
    ['{{a}} {{b', 6],
    ['{{properly.closed}} {{improperly.closed}', 20],
  ])('rejects %j (unclosed tag at %d)', (input, offset) => {
    expect(() => parseTemplateString(input)).toThrow(new TemplateSyntaxError(offset));
  });
});

describe('goTrimSpace', () => {
  it.each<[string, string]>([
    ['  a b  ', 'a b'],
    ['\t\n\v\f\r a', 'a'],
    ['\u0085a\u00a0', 'a'],
    ['\ufeffa', '\ufeffa'],
  ])('%j → %j', (input, expected) => {
    expect(goTrimSpace(input)).toBe(expected);
  });
});
