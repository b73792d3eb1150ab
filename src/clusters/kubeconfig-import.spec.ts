import { stringify } from 'yaml';
import { DomainError } from '../common/domain-error';
import { selectKubeconfigContext } from './kubeconfig-import';

const kubeconfig = (user: object, cluster: object = {}, current: string | null = 'a') =>
  stringify({
    'current-context': current,
    clusters: [{ name: 'c1', cluster: { server: 'https://h:6443', ...cluster } }],
    users: [{ name: 'u1', user }],
    contexts: [
      { name: 'a', context: { cluster: 'c1', user: 'u1' } },
      { name: 'dangling', context: { cluster: 'missing', user: 'u1' } },
    ],
  });

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).details.map((p) => `${p.field}:${p.rule}`).join(',');
  }
  return 'none';
}

describe(selectKubeconfigContext.name, () => {
  it('reads the current context with a token, CA data and the insecure flag', () => {
    expect(
      selectKubeconfigContext(
        kubeconfig(
          { token: 't' },
          { 'certificate-authority-data': 'Q0E=', 'insecure-skip-tls-verify': false },
        ),
        undefined,
      ),
    ).toEqual({
      server: 'https://h:6443',
      context: 'a',
      credentials: { bearerToken: 't', caData: 'Q0E=', insecureSkipTLSVerify: false },
    });
  });

  it('reads client certificate data', () => {
    expect(
      selectKubeconfigContext(
        kubeconfig({ 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' }),
        'a',
      ).credentials,
    ).toEqual({
      clientCertificateData: 'Y2VydA==',
      clientKeyData: 'a2V5',
    });
  });

  it.each<[string, () => unknown, string]>([
    [
      'no current context',
      () => selectKubeconfigContext(kubeconfig({ token: 't' }, {}, null), undefined),
      'context:required',
    ],
    [
      'a context naming a missing cluster',
      () => selectKubeconfigContext(kubeconfig({ token: 't' }), 'dangling'),
      'kubeconfig:kubeconfig',
    ],
    [
      'exec plugins',
      () => selectKubeconfigContext(kubeconfig({ exec: {} }), 'a'),
      'kubeconfig.users.exec:unsupported',
    ],
    [
      'auth providers',
      () => selectKubeconfigContext(kubeconfig({ 'auth-provider': {} }), 'a'),
      'kubeconfig.users.auth-provider:unsupported',
    ],
    [
      'basic auth',
      () => selectKubeconfigContext(kubeconfig({ username: 'x', password: 'y' }), 'a'),
      'kubeconfig.users.username:unsupported',
    ],
    [
      'token files',
      () => selectKubeconfigContext(kubeconfig({ tokenFile: '/t' }), 'a'),
      'kubeconfig.users.tokenFile:unsupported',
    ],
    [
      'certificate files',
      () =>
        selectKubeconfigContext(
          kubeconfig({ 'client-certificate': '/c', 'client-key': '/k' }),
          'a',
        ),
      'kubeconfig.users.client-certificate:unsupported',
    ],
    [
      'a proxy',
      () => selectKubeconfigContext(kubeconfig({ token: 't' }, { 'proxy-url': 'http://p' }), 'a'),
      'kubeconfig.clusters.proxy-url:unsupported',
    ],
    ['not YAML', () => selectKubeconfigContext('a: [', 'a'), 'kubeconfig:yaml'],
    ['a scalar document', () => selectKubeconfigContext('just text', 'a'), 'kubeconfig:kubeconfig'],
  ])('refuses %s', (_case, fn, expected) => {
    expect(problem(fn)).toBe(expected);
  });
});

describe('kubeconfig nesting', () => {
  it('refuses a kubeconfig nested past the limit before parsing it', () => {
    expect(problem(() => selectKubeconfigContext(`users: ${'['.repeat(5000)}`, undefined))).toBe(
      'kubeconfig:nesting-depth',
    );
  });
});
