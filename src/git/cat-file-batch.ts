/**
 * Streaming parser for `git cat-file --batch[-check] [--follow-symlinks]`
 * output (pure: fed chunks, emits one record per input line, in order).
 *
 * With `--follow-symlinks` git resolves links inside the tree itself and
 * reports a link that leaves the tree as `symlink <n>` followed by the link
 * target. That target is repository content: the parser skips it and never
 * surfaces it, so it cannot end up in an error message (GHSA-h6h5-6fmq-rh28).
 */

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

/** One answer of cat-file, for the input line at the same position. */
export type BatchRecord =
  | {
      readonly kind: 'object';
      readonly oid: string;
      readonly type: ObjectType;
      readonly size: number;
      /** Present in `--batch` mode; absent with `--batch-check`. */
      readonly content?: Buffer;
    }
  | { readonly kind: 'missing' | 'ambiguous' }
  /** `--follow-symlinks` outcomes: a link leaving the tree, a loop, a missing target, a file used as a directory. */
  | { readonly kind: 'outside' | 'loop' | 'dangling' | 'notdir' };

/** An object larger than the caller allows; thrown before its content is read. */
export class ObjectTooLargeError extends Error {
  constructor(
    readonly index: number,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`object of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.name = 'ObjectTooLargeError';
  }
}

const OBJECT_HEADER = /^([0-9a-f]{40}|[0-9a-f]{64}) (blob|tree|commit|tag) (\d+)$/;
const SYMLINK_HEADER = /^(symlink|loop|dangling|notdir) (\d+)$/;
const SYMLINK_KINDS = {
  symlink: 'outside',
  loop: 'loop',
  dangling: 'dangling',
  notdir: 'notdir',
} as const;

/**
 * Incremental parser. `withContent` is true for `--batch`, false for
 * `--batch-check`. Objects above `maxObjectBytes` make `push` throw an
 * ObjectTooLargeError (the caller then kills git) instead of being buffered.
 */
export class CatFileBatchParser {
  /** Unconsumed output; joined only once a whole header or body is there. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private pending: PendingBody | undefined;
  private count = 0;

  constructor(
    private readonly withContent: boolean,
    private readonly onRecord: (record: BatchRecord, index: number) => void,
    private readonly maxObjectBytes = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Number of records emitted so far. */
  get records(): number {
    return this.count;
  }

  /** Feeds the next chunk of stdout. */
  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.partsLength += chunk.length;
    while (this.step()) {
      // Each step consumes one header or one body.
    }
  }

  /** Checks that the output ended on a record boundary. */
  end(): void {
    if (this.pending || this.partsLength > 0) {
      throw new Error('cat-file output ended in the middle of a record');
    }
  }

  private step(): boolean {
    if (this.pending) {
      // Body plus the newline git writes after it.
      if (this.partsLength < this.pending.length + 1) return false;
      const body = this.consume(this.pending.length + 1).subarray(0, this.pending.length);
      const { header, skip } = this.pending;
      this.pending = undefined;
      // Copied so a small file does not keep a large joined chunk alive.
      this.emit(
        skip || header.kind !== 'object' ? header : { ...header, content: Buffer.from(body) },
      );
      return true;
    }
    if (this.partsLength === 0) return false;
    const joined = this.joined();
    const newline = joined.indexOf(10);
    if (newline === -1) return false;
    this.readHeader(this.consume(newline + 1).toString('utf8', 0, newline));
    return true;
  }

  private readHeader(line: string): void {
    const object = OBJECT_HEADER.exec(line);
    if (object) {
      const record: BatchRecord = {
        kind: 'object',
        oid: object[1],
        type: object[2] as ObjectType,
        size: Number(object[3]),
      };
      if (!this.withContent) return this.emit(record);
      if (record.size > this.maxObjectBytes) {
        throw new ObjectTooLargeError(this.count, record.size, this.maxObjectBytes);
      }
      this.pending = { header: record, skip: false, length: record.size };
      return;
    }
    const link = SYMLINK_HEADER.exec(line);
    if (link) {
      // The next `<n>` bytes are the link target or the input echoed back: skipped unread.
      const kind = SYMLINK_KINDS[link[1] as keyof typeof SYMLINK_KINDS];
      this.pending = { header: { kind }, skip: true, length: Number(link[2]) };
      return;
    }
    if (line.endsWith(' missing')) return this.emit({ kind: 'missing' });
    if (line.endsWith(' ambiguous')) return this.emit({ kind: 'ambiguous' });
    throw new Error('unexpected cat-file output');
  }

  /** All unconsumed output as one buffer (copies only when it spans chunks). */
  private joined(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts, this.partsLength)];
    return this.parts[0];
  }

  /** Removes and returns the first `length` bytes. */
  private consume(length: number): Buffer {
    const joined = this.joined();
    const rest = joined.subarray(length);
    this.parts = rest.length > 0 ? [rest] : [];
    this.partsLength = rest.length;
    return joined.subarray(0, length);
  }

  private emit(record: BatchRecord): void {
    this.onRecord(record, this.count++);
  }
}

interface PendingBody {
  readonly header: Exclude<BatchRecord, { kind: 'missing' | 'ambiguous' }>;
  /** True for link targets and echoed inputs, which are never surfaced. */
  readonly skip: boolean;
  readonly length: number;
}
