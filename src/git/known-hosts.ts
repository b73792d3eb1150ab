/**
 * The SSH known hosts Fleetplane checks host keys against: a private copy
 * under the mirror root, written once on first ssh use, so ssh never
 * appends to (or is confused by) the operator's own file (GO-2025-3649).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError, DomainErrorCode } from '../common/domain-error';

/** SSH host keys: known_hosts content, or the path of a known_hosts file. */
export type KnownHostsSource = { readonly content: string } | { readonly file: string };

export class KnownHostsFile {
  private written: Promise<string | undefined> | undefined;

  /** @param file where the private copy goes, e.g. `<root>/ssh/known_hosts`. */
  constructor(
    private readonly source: KnownHostsSource | undefined,
    private readonly file: string,
  ) {}

  /**
   * Path of the private copy, or `undefined` when no known hosts are
   * configured. Throws a DomainError (`Configuration`) when the source
   * cannot be read; a failure is retried on the next call.
   */
  path(): Promise<string | undefined> {
    this.written ??= this.write().catch((error: unknown) => {
      this.written = undefined;
      throw error;
    });
    return this.written;
  }

  private async write(): Promise<string | undefined> {
    if (!this.source) return undefined;
    try {
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const content =
        'file' in this.source ? await readFile(this.source.file, 'utf8') : this.source.content;
      await writeFile(this.file, content.endsWith('\n') ? content : `${content}\n`, {
        mode: 0o600,
      });
    } catch (error) {
      throw new DomainError(
        DomainErrorCode.Configuration,
        `the SSH known hosts could not be prepared: ${(error as Error).message}`,
      );
    }
    return this.file;
  }
}
