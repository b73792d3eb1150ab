import { BatchRecord, CatFileBatchParser, ObjectTooLargeError } from './cat-file-batch';

const OID = 'ce013625030ba8dba906f756967f9e9ca394464a';

/** Feeds `output` in chunks of `chunkSize` bytes and returns the records. */
function parse(
  output: string | Buffer,
  withContent: boolean,
  chunkSize = 1_000_000,
  max?: number,
): BatchRecord[] {
  const records: BatchRecord[] = [];
  const parser = new CatFileBatchParser(withContent, (record) => records.push(record), max);
  const bytes = Buffer.from(output);
  for (let start = 0; start < bytes.length; start += chunkSize)
    parser.push(bytes.subarray(start, start + chunkSize));
  parser.end();
  return records;
}

const BATCH_OUTPUT =
  `${OID} blob 6\nhello\n\n` +
  `x:missing.txt missing\n` +
  `symlink 11\n/etc/passwd\n` +
  `dangling 9\nsha:link1\n` +
  `loop 5\nsha:l\n` +
  `notdir 7\nsha:f/x\n` +
  `${OID} blob 0\n\n` +
  `abc ambiguous\n`;

const EXPECTED: BatchRecord[] = [
  { kind: 'object', oid: OID, type: 'blob', size: 6, content: Buffer.from('hello\n') },
  { kind: 'missing' },
  { kind: 'outside' },
  { kind: 'dangling' },
  { kind: 'loop' },
  { kind: 'notdir' },
  { kind: 'object', oid: OID, type: 'blob', size: 0, content: Buffer.alloc(0) },
  { kind: 'ambiguous' },
];

describe(CatFileBatchParser.name, () => {
  it.each([1, 2, 7, 64, 1_000_000])('parses --batch output fed in %d-byte chunks', (chunkSize) => {
    expect(parse(BATCH_OUTPUT, true, chunkSize)).toEqual(EXPECTED);
  });

  it('never surfaces the target of a link that leaves the tree', () => {
    expect(JSON.stringify(parse(`symlink 11\n/etc/passwd\n`, true))).not.toContain('passwd');
  });

  it('keeps binary content byte for byte', () => {
    const content = Buffer.from([0, 10, 255, 13, 10]);
    const output = Buffer.concat([Buffer.from(`${OID} blob 5\n`), content, Buffer.from('\n')]);
    expect(parse(output, true, 3)).toEqual([expect.objectContaining({ content })]);
  });

  it('parses --batch-check output (no content)', () => {
    expect(parse(`${OID} commit 230\nrefs/heads/x^{commit} missing\n`, false)).toEqual([
      { kind: 'object', oid: OID, type: 'commit', size: 230 },
      { kind: 'missing' },
    ]);
  });

  it('throws before buffering an object above the limit, naming its position', () => {
    expect(() =>
      parse(`${OID} blob 3\nabc\n${OID} blob 10\n0123456789\n`, true, 1_000_000, 5),
    ).toThrow(new ObjectTooLargeError(1, 10, 5));
  });

  it.each(['garbage\n', `${OID} blob 6\nhel`])(
    'refuses malformed or truncated output %j',
    (output) => {
      expect(() => parse(output, true)).toThrow();
    },
  );
});
