import { relativeLinkTarget, resolveInTree, TreeNode } from './symlink-resolution';

/** A tree from `path: 'file' | 'dir' | '-> target'`. */
function tree(spec: Record<string, string>): (path: string) => TreeNode | undefined {
  return (path) => {
    const value = spec[path];
    if (value === undefined) return undefined;
    return value.startsWith('-> ')
      ? { kind: 'symlink', target: value.slice(3) }
      : { kind: value as 'file' | 'dir' };
  };
}

const TREE = tree({
  a: 'dir',
  'a/b': 'dir',
  'a/b/f.yaml': 'file',
  'r.txt': 'file',
  good: '-> a/b/f.yaml',
  'a/up': '-> ../r.txt',
  'a/b/chain': '-> ../../good',
  dirlink: '-> a/b',
  self: '-> .',
  viaself: '-> self/../r.txt',
  escape: '-> ../outside',
  deep: '-> a/../../x',
  abs: '-> /etc/passwd',
  loop1: '-> loop2',
  loop2: '-> loop1',
  dang: '-> missing',
  notdir: '-> r.txt/x',
  trailing: '-> r.txt/',
  'a/b/intodir': '-> ../../dirlink/f.yaml',
});

describe('resolveInTree', () => {
  it.each<[string, object]>([
    ['good', { ok: true, path: 'a/b/f.yaml', kind: 'file' }],
    ['a/up', { ok: true, path: 'r.txt', kind: 'file' }],
    ['a/b/chain', { ok: true, path: 'a/b/f.yaml', kind: 'file' }],
    ['dirlink', { ok: true, path: 'a/b', kind: 'dir' }],
    ['self', { ok: true, path: '', kind: 'dir' }],
    ['a/b/intodir', { ok: true, path: 'a/b/f.yaml', kind: 'file' }],
    // `self/..` is the parent of the root on disk, though `self/../r.txt` looks like `r.txt`.
    ['viaself', { ok: false, reason: 'outside' }],
    ['escape', { ok: false, reason: 'outside' }],
    ['deep', { ok: false, reason: 'outside' }],
    ['abs', { ok: false, reason: 'outside' }],
    ['loop1', { ok: false, reason: 'loop' }],
    ['dang', { ok: false, reason: 'dangling' }],
    ['notdir', { ok: false, reason: 'notdir' }],
    ['trailing', { ok: false, reason: 'notdir' }],
  ])('%s → %j', (path, expected) => {
    expect(resolveInTree(path, TREE)).toEqual(expected);
  });

  it('gives up after the hop limit', () => {
    const chain = tree({ l0: '-> l1', l1: '-> l2', l2: '-> l3', l3: 'file' });
    expect(resolveInTree('l0', chain, 3)).toEqual({ ok: true, path: 'l3', kind: 'file' });
    expect(resolveInTree('l0', chain, 2)).toEqual({ ok: false, reason: 'loop' });
  });
});

describe('relativeLinkTarget', () => {
  it.each<[string, string, string]>([
    ['link', 'a/b/f.yaml', 'a/b/f.yaml'],
    ['a/b/link', 'c/d', '../../c/d'],
    ['a/b/link', 'a/b/f', 'f'],
    ['a/b/link', 'a/x', '../x'],
    ['a/link', '', '..'],
    ['link', '', '.'],
  ])('%s → %s is %s', (link, target, expected) => {
    expect(relativeLinkTarget(link, target)).toBe(expected);
  });
});
