import { listDirectories } from './git-directory-listing';
import { GitTreeEntry } from './ports';

const file = (path: string): GitTreeEntry => ({ path, type: 'file' });

describe('listDirectories', () => {
  it.each<[string, GitTreeEntry[], string[]]>([
    ['nothing for an empty tree', [], []],
    ['no root and no files', [file('README.md'), file('a/config.json')], ['a']],
    [
      'pre-order walk with byte-wise child order (semantics.md §1.4)',
      [file('a2/f'), file('a-x/f'), file('a/b/c/f'), file('a/f'), file('_u/f'), file('B/f')],
      ['B', '_u', 'a', 'a/b', 'a/b/c', 'a-x', 'a2'],
    ],
    [
      'intermediate directories that hold only directories',
      [file('apps/team/guestbook/kustomization.yaml')],
      ['apps', 'apps/team', 'apps/team/guestbook'],
    ],
    [
      'hidden directories are skipped with their whole subtree',
      [
        file('.git/config'),
        file('.github/workflows/ci.yml'),
        file('a/.hidden/x/f'),
        file('a/visible/.dotfile'),
        file('a/.hidden-file'),
      ],
      ['a', 'a/visible'],
    ],
    [
      'a symlink makes its parent exist but is not a directory itself',
      [{ path: 'links/to-dir', type: 'symlink' }],
      ['links'],
    ],
    [
      'a submodule is a directory, its content unknown',
      [
        { path: 'vendor/lib', type: 'submodule' },
        { path: 'top', type: 'submodule' },
      ],
      ['top', 'vendor', 'vendor/lib'],
    ],
    ['a hidden submodule is skipped', [{ path: 'x/.mod', type: 'submodule' }], ['x']],
    [
      'byte-wise order for non-ASCII names (U+FF21 sorts after U+00E9 and before an emoji)',
      [file('😀/f'), file('Ａ/f'), file('é/f'), file('z/f')],
      ['z', 'é', 'Ａ', '😀'],
    ],
  ])('%s', (_name, entries, expected) => {
    expect(listDirectories(entries)).toEqual(expected);
  });
});
