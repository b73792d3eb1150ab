import { resolve } from 'node:path';
import { parseCli } from './cli';

describe(parseCli.name, () => {
  it('defaults to one cluster on 6443, shared port, HTTPS with HTTP/2, a kubeconfig in the working directory', () => {
    expect(parseCli([])).toEqual({
      clusters: 1,
      port: 6443,
      kubeconfig: resolve('kube-sim.kubeconfig'),
      tls: true,
      http2: true,
      listeners: 'shared',
      readinessDelayMs: 50,
    });
  });

  it('reads every option', () => {
    expect(
      parseCli([
        '--clusters',
        '100',
        '--port',
        '0',
        '--kubeconfig',
        '/tmp/fleet.yaml',
        '--plain-http',
        '--listeners',
        'per-cluster',
        '--readiness-delay',
        '0',
      ]),
    ).toEqual({
      clusters: 100,
      port: 0,
      kubeconfig: '/tmp/fleet.yaml',
      tls: false,
      http2: false,
      listeners: 'per-cluster',
      readinessDelayMs: 0,
    });
  });

  it('serves HTTP/1.1 only on request', () => {
    expect(parseCli(['--http1'])).toMatchObject({ tls: true, http2: false });
  });

  it.each([
    [['--clusters', '0'], '--clusters must be at least 1'],
    [['--clusters', '1.5'], '--clusters must be a non-negative integer, got "1.5"'],
    [['--port=-1'], '--port must be a non-negative integer, got "-1"'],
    [['--listeners', 'many'], '--listeners must be "shared" or "per-cluster", got "many"'],
    [['--colour'], "Unknown option '--colour'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message);
  });
});
