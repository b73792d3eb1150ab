import { normalize } from './normalize';

describe('normalize', () => {
  it.each<[string, string]>([
    // Cases from semantics.md §1.3 (Argo's SanitizeName).
    ['production_01/west', 'production-01-west'],
    ['-.--CLUSTER/name  -./.-', 'cluster-name'],
    ['a__b', 'a--b'],
    ['.', ''],
    ['', ''],
    ['In-Cluster', 'in-cluster'],
    ['https://kubernetes.default.svc', 'https---kubernetes.default.svc'],
    ['file_name.yaml', 'file-name.yaml'],
    ['a.b-c', 'a.b-c'],
    ['Zürich', 'z-rich'],
    ['日本', ''],
    ['x日本y', 'x--y'],
    ['\u212Aelvin', 'kelvin'], // KELVIN SIGN lowercases to ASCII k in Go and JS
    ['\u0130stanbul', 'istanbul'], // Go maps İ to i (one rune), not i + U+0307
    ['a😀b', 'a-b'],
  ])('%j → %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('truncates to 253 characters before trimming trailing separators', () => {
    const name = `${'a'.repeat(252)}-b`;
    expect(normalize(name)).toBe('a'.repeat(252));
    expect(normalize('x'.repeat(300))).toBe('x'.repeat(253));
  });
});
