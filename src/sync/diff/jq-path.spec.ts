import { JsonValue } from '../manifests/kube-object';
import { JqPath, parseJqPath } from './jq-parse';
import { selectedPaths } from './jq-path';

/** The paths `expression` selects in `value`, as dotted text. */
function select(expression: string, value: unknown): string[] {
  const parsed = parseJqPath(expression);
  if (typeof parsed === 'string') throw new Error(parsed);
  return selectedPaths(parsed as JqPath, value as JsonValue).map((path) => path.join('.'));
}

const pod = {
  spec: {
    containers: [
      {
        name: 'web',
        image: 'nginx:1',
        ports: [{ containerPort: 9090 }, { containerPort: 80 }],
        env: [],
      },
      { name: 'istio-proxy', image: 'istio/proxyv2:1.20', args: ['proxy', 'sidecar'] },
      { name: 'istio-init', image: 'istio/proxyv2:1.20', resources: { limits: { cpu: '1' } } },
      { name: 'Logger', image: 'fluent-bit', weight: 3 },
    ],
  },
};

describe(selectedPaths.name, () => {
  const containers = (indexes: number[], field = '') =>
    indexes.map((i) => `spec.containers.${i}${field}`);

  it.each([
    ['select(.name == "web")', [0]],
    ['select(.name | startswith("istio-"))', [1, 2]],
    ['select(.name | endswith("-init"))', [2]],
    ['select(.image | contains("proxyv2"))', [1, 2]],
    ['select(.args | contains(["sidecar"]))', [1]],
    ['select(.resources | contains({"limits": {}}))', [2]],
    ['select(has("args") | not)', [0, 2, 3]],
    ['select(.name | ascii_downcase == "logger")', [3]],
    ['select((.name | length) > 5 and .weight == null)', [1, 2]],
    ['select(.weight >= 3)', [3]],
    ['select(.weight < 3)', [0, 1, 2]],
    // Any of the values an iteration gives will do, as in jq (port 80 is the web's second).
    ['select(.ports[].containerPort == 80)', [0]],
    ['select(.ports[].containerPort == 9090 and .name == "web")', [0]],
    ['select(.args[] | startswith("side"))', [1]],
    ['select(.missing.deeper == null)', [0, 1, 2, 3]],
    ['select(.name == "web" or (.image | startswith("fluent")))', [0, 3]],
  ])('.spec.containers[] | %s', (condition, expected) => {
    expect(select(`.spec.containers[] | ${condition}`, pod)).toEqual(containers(expected));
  });

  it('continues with the path after a select', () => {
    expect(
      select('.spec.containers[] | select(.name | startswith("istio")) | .image', pod),
    ).toEqual(containers([1, 2], '.image'));
  });

  it('selects nothing where jq would stop with an error', () => {
    // startswith of a number, has of a string, contains across types
    expect(select('.spec.containers[] | select(.weight | startswith("3"))', pod)).toEqual([]);
    expect(select('.spec.containers[] | select(.name | has("x"))', pod)).toEqual([]);
    expect(select('.spec.containers[] | select(.name | contains(1))', pod)).toEqual([]);
  });

  it('reads the object form of has and the array form with an index', () => {
    expect(select('.spec.containers[] | select(.args | has(1))', pod)).toEqual(containers([1]));
    expect(select('.spec.containers[] | select(has("resources"))', pod)).toEqual(containers([2]));
  });
});
