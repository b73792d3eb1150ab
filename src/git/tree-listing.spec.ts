import { parseLsTree, toGitTreeEntries } from './tree-listing';

const OID = 'ce013625030ba8dba906f756967f9e9ca394464a';

describe('parseLsTree', () => {
  it.each<[string, object[]]>([
    ['', []],
    [`100644 blob ${OID}\ta.txt\0`, [{ path: 'a.txt', type: 'file', mode: '100644', oid: OID }]],
    [
      `100755 blob ${OID}\tbin/run\0`,
      [{ path: 'bin/run', type: 'file', mode: '100755', oid: OID }],
    ],
    [`120000 blob ${OID}\tlink\0`, [{ path: 'link', type: 'symlink', mode: '120000', oid: OID }]],
    [
      `160000 commit ${OID}\tvendor/lib\0`,
      [{ path: 'vendor/lib', type: 'submodule', mode: '160000', oid: OID }],
    ],
    // Paths are taken verbatim with -z: tabs, spaces, newlines and non-ASCII survive.
    [
      `100644 blob ${OID}\tdir with space/ünï\tcode\n.yaml\0`,
      [expect.objectContaining({ path: 'dir with space/ünï\tcode\n.yaml' })],
    ],
    // -l adds a right-aligned size column; "-" for submodules.
    [
      `100644 blob ${OID}     123\ta\x00160000 commit ${OID}       -\tsub\0`,
      [
        { path: 'a', type: 'file', mode: '100644', oid: OID, size: 123 },
        { path: 'sub', type: 'submodule', mode: '160000', oid: OID },
      ],
    ],
  ])('%j', (output, expected) => {
    expect(parseLsTree(Buffer.from(output))).toEqual(expected);
  });

  it.each([
    `100644 blob ${OID}\ta`, // no terminating NUL
    `040000 tree ${OID}\tdir\0`, // trees are not expected with -r
    `100644 blob ${OID}\0`, // no path
    `100644 blob\tx\0`, // no oid
  ])('refuses %j instead of dropping the record', (output) => {
    expect(() => parseLsTree(output)).toThrow();
  });

  it('narrows records to the GitReader port shape', () => {
    expect(toGitTreeEntries(parseLsTree(`120000 blob ${OID}\tl\0`))).toEqual([
      { path: 'l', type: 'symlink' },
    ]);
  });
});
