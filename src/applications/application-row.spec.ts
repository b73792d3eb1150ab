import { Application } from '../argo/application.types';
import { contentHash } from '../sync/manifests/content-hash';
import { manifestHash, toApplicationRow } from './application-row';

const app = (extra: Record<string, unknown> = {}): Application =>
  ({
    kind: 'Application',
    apiVersion: 'argoproj.io/v1alpha1',
    metadata: { name: 'web', labels: { z: '1', a: '2' }, finalizers: ['f'] },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://git.example.com/a.git',
        path: 'p',
        helm: { valuesObject: { b: [{ y: 1, x: null }] } },
      },
      destination: { name: 'c1', namespace: 'ns' },
      ...extra,
    },
  }) as unknown as Application;

describe(manifestHash.name, () => {
  it.each<[string, Application]>([
    ['keys out of order at every depth', app()],
    ['undefined members', app({ syncPolicy: undefined, info: [undefined, 'x'] })],
    ['unicode keys', app({ ignoreDifferences: [{ ä: 1, a: 2, Z: 3 }] })],
  ])('equals contentHash for %s', (_what, application) => {
    expect(manifestHash(application)).toBe(contentHash(application));
  });

  it('does not depend on key order', () => {
    const original = app();
    const reversed = (o: object) => Object.fromEntries(Object.entries(o).reverse());
    const reordered = reversed({ ...original, spec: reversed(original.spec) });
    expect(Object.keys(reordered)).not.toEqual(Object.keys(original));
    expect(manifestHash(reordered as Application)).toBe(manifestHash(original));
  });

  it('changes with any value', () => {
    expect(manifestHash(app({ project: 'other' }))).not.toBe(manifestHash(app()));
  });
});

describe(toApplicationRow.name, () => {
  it('takes a hash computed before', () => {
    expect(toApplicationRow(app(), null, { hash: 'given', json: '{}' })).toMatchObject({
      specHash: 'given',
      manifestJson: '{}',
    });
    expect(toApplicationRow(app(), null).specHash).toBe(manifestHash(app()));
  });
});
