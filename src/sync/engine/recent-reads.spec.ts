import { ObjectRef } from '../manifests/kube-object';
import { LiveState } from './live-state';
import { READ_REUSE_MS, RecentReads } from './recent-reads';

const ref = (name: string): ObjectRef => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'shop',
  name,
});
const live = (): LiveState => ({ byKey: new Map(), unknownKinds: new Set() });

describe(RecentReads.name, () => {
  let now: number;
  let sut: RecentReads;

  beforeEach(() => {
    now = 0;
    sut = new RecentReads(() => now);
  });

  it('hands a comparison read to the next sync of the same refs, once', () => {
    const read = live();
    sut.remember('eu-1', 'web', [ref('a'), ref('b')], read);
    expect(sut.take('eu-1', 'web', [ref('b'), ref('a')])).toBe(read);
    expect(sut.take('eu-1', 'web', [ref('a'), ref('b')])).toBeUndefined();
  });

  it('does not hand it over for other refs, another app or cluster, or once old', () => {
    sut.remember('eu-1', 'web', [ref('a')], live());
    expect(sut.take('eu-1', 'web', [ref('a'), ref('new')])).toBeUndefined();
    sut.remember('eu-1', 'web', [ref('a')], live());
    expect(sut.take('eu-1', 'api', [ref('a')])).toBeUndefined();
    expect(sut.take('us-1', 'web', [ref('a')])).toBeUndefined();
    now = READ_REUSE_MS + 1;
    expect(sut.take('eu-1', 'web', [ref('a')])).toBeUndefined();
  });

  it('drops reads no sync took as they age, and those of a removed cluster', () => {
    for (let i = 0; i < 10; i++) sut.remember('eu-1', `old-${i}`, [ref('a')], live());
    now = READ_REUSE_MS + 1;
    for (let i = 0; i < 64; i++) sut.remember('us-1', `new-${i}`, [ref('a')], live());
    expect(sut.size).toBe(64);
    sut.forgetCluster('us-1');
    expect(sut.size).toBe(0);
  });
});
