import { ResourceDiff } from '../../diff/diff-resources';
import { maskSecretDiffs } from './mask-diffs';

const ref = (kind: string) => ({ group: '', version: 'v1', kind, namespace: 'n', name: 'x' });

describe(maskSecretDiffs.name, () => {
  it('masks values of changed Secret fields consistently and leaves other kinds alone', () => {
    const diffs: ResourceDiff[] = [
      {
        ref: ref('Secret'),
        status: 'OutOfSync',
        differences: [
          { path: 'data.password', desired: 'c2VjcmV0', live: 'b2xk' },
          { path: 'data', desired: { a: 'c2VjcmV0', b: 'Yg==' } },
          { path: 'metadata.labels.app', desired: 'web', live: 'api' },
          { path: 'data.token', desired: '++++++++', live: '++++++++++++' },
        ],
      },
      {
        ref: ref('ConfigMap'),
        status: 'OutOfSync',
        differences: [{ path: 'data.password', desired: 'plain', live: 'old' }],
      },
    ];
    expect(maskSecretDiffs(diffs)).toEqual([
      {
        ref: ref('Secret'),
        status: 'OutOfSync',
        differences: [
          { path: 'data.password', desired: '++++++++', live: '++++++++++++' },
          { path: 'data', desired: { a: '++++++++', b: '++++++++++++++++' } },
          { path: 'metadata.labels.app', desired: 'web', live: 'api' },
          { path: 'data.token', desired: '++++++++', live: '++++++++++++' },
        ],
      },
      diffs[1],
    ]);
  });

  it('masks a whole missing Secret', () => {
    const [masked] = maskSecretDiffs([
      {
        ref: ref('Secret'),
        status: 'Missing',
        differences: [
          {
            path: '',
            desired: {
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'x', namespace: 'n' },
              data: { password: 'c2VjcmV0' },
            },
          },
        ],
      },
    ]);
    expect(JSON.stringify(masked)).not.toContain('c2VjcmV0');
    expect(masked.differences[0].desired).toMatchObject({ data: { password: '++++++++' } });
  });
});
