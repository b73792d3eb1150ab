import { parseJqPath } from './jq-parse';

describe(parseJqPath.name, () => {
  it.each([
    '.spec.replicas',
    '.metadata.annotations."a/b"',
    '.data["key.with.dots"]',
    '.spec.rules[0].host',
    '.spec.rules[-1]',
    '.webhooks[]?.clientConfig.caBundle',
    '.spec.containers[] | select(.name == "a" or .name == "b") | .image',
    '.items[] | select(.enabled != false and .weight == 2)',
    '.spec.containers[] | select(.name | startswith("x"))',
    '.spec.containers[] | select((.name | ascii_downcase) == "x" and (.env | length) > 0)',
    '.spec.containers[] | select(has("args") | not)',
    '.spec.containers[] | select(.image | contains("istio")) | .image',
  ])('reads %s', (expression) => {
    expect(typeof parseJqPath(expression)).not.toBe('string');
  });

  it.each([
    ['spec.replicas', /must start with a path|expected a path/],
    ['.spec | length', /expected a path/],
    ['.spec.containers[] | select(.name | test("^istio"))', /regular expressions.*startswith/],
    ['.spec.containers[] | select(.name | ltrimstr("x"))', /ltrimstr is not a function/],
    ['.spec.containers[] | select(.name == "a", .name == "b")', /expected "\)"/],
    ['.spec.containers[] | select(.name // "a")', /expected "\)"/],
    ['.a[', /expected/],
    ['.a.', /expected a field name/],
  ])('refuses %s', (expression, why) => {
    expect(parseJqPath(expression)).toMatch(why);
  });
});
