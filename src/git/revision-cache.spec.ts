import { RevisionCache } from './revision-cache';

describe(RevisionCache.name, () => {
  it('remembers answers per mirror until that mirror is fetched again', () => {
    const sut = new RevisionCache();
    sut.set('a', 'main', 'sha-1', sut.generation('a'));
    sut.set('b', 'main', 'sha-2', sut.generation('b'));
    expect([sut.get('a', 'main'), sut.get('b', 'main'), sut.get('a', 'v1')]).toEqual([
      'sha-1',
      'sha-2',
      undefined,
    ]);
    sut.fetched('a');
    expect([sut.get('a', 'main'), sut.get('b', 'main')]).toEqual([undefined, 'sha-2']);
  });

  it('drops an answer looked up before a fetch that finished meanwhile', () => {
    const sut = new RevisionCache();
    const before = sut.generation('a');
    sut.fetched('a');
    sut.set('a', 'main', 'stale', before);
    expect(sut.get('a', 'main')).toBeUndefined();
  });

  it('stays bounded', () => {
    const sut = new RevisionCache(2);
    for (const revision of ['r1', 'r2', 'r3']) sut.set('a', revision, revision, 0);
    expect(['r1', 'r2', 'r3'].map((r) => sut.get('a', r))).toEqual([undefined, undefined, 'r3']);
  });
});
