import { DomainErrorCode } from '../common/domain-error';
import { planExport } from './export-plan';
import { TreeEntryRecord } from './tree-listing';

let counter = 0;
const file = (path: string, mode = '100644'): TreeEntryRecord => ({
  path,
  type: 'file',
  mode,
  oid: `f${counter++}`,
});
const link = (path: string, target: string, targets: Map<string, string>): TreeEntryRecord => {
  const oid = `l${counter++}`;
  targets.set(oid, target);
  return { path, type: 'symlink', mode: '120000', oid };
};

describe('planExport', () => {
  it('writes files, re-points in-tree links at their physical target, skips dangling links and submodules', () => {
    const targets = new Map<string, string>();
    const entries = [
      file('base/kustomization.yaml'),
      file('run.sh', '100755'),
      link('overlay/base', '../base', targets),
      link('overlay/k.yaml', '../overlay/base/kustomization.yaml', targets),
      link('dangling', 'nowhere', targets),
      { path: 'vendor/lib', type: 'submodule', mode: '160000', oid: 'c1' } as TreeEntryRecord,
    ];
    const plan = planExport(entries, targets, 'repo');
    expect(plan.files).toEqual([
      expect.objectContaining({ path: 'base/kustomization.yaml', executable: false }),
      expect.objectContaining({ path: 'run.sh', executable: true }),
    ]);
    expect(plan.links).toEqual([
      { path: 'overlay/base', target: '../base' },
      { path: 'overlay/k.yaml', target: '../base/kustomization.yaml' },
    ]);
    expect(plan.skipped).toEqual(['dangling', 'vendor/lib']);
  });

  it.each<[string, string]>([
    ['to the parent', '../outside.yaml'],
    ['absolute', '/etc/passwd'],
    ['through a link to the root', 'self/../x'],
  ])('refuses a link leaving the export (%s) without printing its target', (_, target) => {
    const targets = new Map<string, string>();
    const entries = [file('x'), link('self', '.', targets), link('evil', target, targets)];
    let error: unknown;
    try {
      planExport(entries, targets, 'https://h/r at abc');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: DomainErrorCode.Invalid,
      details: [expect.objectContaining({ rule: 'git-symlink-outside' })],
    });
    expect((error as Error).message).toContain('"evil"');
    expect((error as Error).message).not.toContain(target);
  });

  it.each(['../x', 'a//b', 'a/./b', '/abs'])(
    'refuses an unsafe tree path %j from a hostile server',
    (path) => {
      expect(() => planExport([file(path)], new Map(), 'repo')).toThrow(
        expect.objectContaining({
          details: [expect.objectContaining({ rule: 'git-unsafe-path' })],
        }),
      );
    },
  );
});
