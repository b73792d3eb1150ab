import { ClusterRepository } from '../../clusters/cluster.repository';
import { ClusterRecord } from '../../generators/ports';
import { ClusterSnapshots } from './cluster-snapshots';

describe(ClusterSnapshots.name, () => {
  const record = (name: string): ClusterRecord => ({
    name,
    server: `https://${name}`,
    project: null,
    labels: {},
    annotations: {},
  });
  let reads: number;
  let answer: () => Promise<ClusterRecord[]>;
  let sut: ClusterSnapshots;

  beforeEach(() => {
    reads = 0;
    answer = async () => [record(`c${reads}`)];
    sut = new ClusterSnapshots({
      listRecords: () => {
        reads++;
        return answer();
      },
    } as unknown as ClusterRepository);
  });

  it('shares one read between reconciles claimed before it started', async () => {
    const claimed = Date.now() - 5;
    const [a, b, c] = await Promise.all([sut.list(claimed), sut.list(claimed), sut.list(claimed)]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(b).toBe(c);
  });

  it('reads again for a reconcile claimed after the last read started', async () => {
    await sut.list(Date.now() - 5);
    await new Promise((r) => setTimeout(r, 5));
    await sut.list(Date.now());
    expect(reads).toBe(2);
  });

  it('never hands out a failed read twice', async () => {
    answer = async () => {
      throw new Error('database down');
    };
    const claimed = Date.now() - 5;
    await expect(sut.list(claimed)).rejects.toThrow('database down');
    answer = async () => [record('ok')];
    await expect(sut.list(claimed)).resolves.toEqual([record('ok')]);
    expect(reads).toBe(2);
  });
});
