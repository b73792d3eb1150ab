/**
 * Brings the ApplicationSets of one Git source in line with a commit: reads
 * every YAML/JSON file under the source path, applies the valid
 * ApplicationSets, reports the broken files, and requests deletion of the
 * ApplicationSets whose files are gone (the deletion budget still applies to
 * their Applications). A Git failure changes nothing and is retried. When to
 * run is the repository poller's business (see repo-poller.ts).
 */
import { Injectable, Logger } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { GitMirrorCache } from '../git/git-mirror-cache';
import { parseApplicationSets } from '../applicationsets/document';
import { ApplicationSetRepository } from '../applicationsets/applicationset.repository';
import { APPLICATIONSET_WORK } from '../applicationsets/applicationset.service';
import { toApplicationSetWrite } from '../applicationsets/applicationset-write';
import { jsonEqual } from '../sync/manifests/content-hash';
import { WorkQueue } from '../work-queue/work-queue.service';
import { Source, SourceStatus } from './source.model';
import { SourceRepository } from './source.repository';
import { sourceFiles } from './source-files';
import { ParsedSourceFile, planSource } from './source-plan';

@Injectable()
export class SourceSync {
  private readonly logger = new Logger(SourceSync.name);

  constructor(
    private readonly sources: SourceRepository,
    private readonly appSets: ApplicationSetRepository,
    private readonly git: GitMirrorCache,
    private readonly queue: WorkQueue,
  ) {}

  /** One pass over the source's current commit. */
  async sync(sourceId: string): Promise<void> {
    const source = await this.sources.findById(sourceId);
    if (!source) return;
    let sha: string;
    let files: ParsedSourceFile[];
    try {
      sha = await this.git.resolveRevision(source.repoURL, source.revision);
      if (sha === source.status.revision && !source.status.error) return;
      files = await this.readFiles(source, sha);
    } catch (error) {
      await this.saveStatus(source, {
        ...source.status,
        error: { message: (error as Error).message, at: new Date().toISOString() },
      });
      throw error;
    }

    const owned = await this.appSets.listBySource(source.id);
    const names = files.flatMap((f) => f.applicationSets.map((a) => a.metadata.name));
    const others = new Map((await this.appSets.findByNames(names)).map((a) => [a.name, a]));
    const plan = planSource(source.id, files, owned, others);
    const queued: string[] = [];
    for (const item of plan.upsert) {
      const write = toApplicationSetWrite(item.appSet, {
        sourceId: source.id,
        sourcePath: item.path,
        sourceRevision: sha,
      });
      if (item.existingId === null) queued.push((await this.appSets.insert(write)).id);
      else if (await this.appSets.replace(item.existingId, write)) queued.push(item.existingId);
    }
    for (const gone of plan.remove) {
      // No approval: the deletion budget guards against a commit that removes too much at once.
      await this.appSets.requestDeletion(gone.id, null);
      queued.push(gone.id);
    }
    await this.queue.enqueue(
      queued.map((targetId) => ({
        kind: APPLICATIONSET_WORK,
        targetId,
        reason: `source "${source.name}" at ${sha.slice(0, 12)}`,
      })),
    );
    await this.saveStatus(source, {
      revision: sha,
      syncedAt: new Date().toISOString(),
      applicationSets: plan.names,
      ...(plan.problems.length > 0 && { problems: plan.problems }),
      error: null,
    });
    if (queued.length || plan.problems.length) {
      this.logger.log(
        `source "${source.name}" at ${sha.slice(0, 12)}: ${queued.length} ApplicationSets changed, ${plan.problems.length} problems`,
      );
    }
  }

  private async readFiles(source: Source, sha: string): Promise<ParsedSourceFile[]> {
    const paths = sourceFiles(
      await this.git.listTree(source.repoURL, sha),
      source.path,
      source.recurse,
    );
    const contents = await this.readContents(source, sha, paths);
    return paths.map((path) => {
      const content = contents.get(path)!;
      if (content instanceof Error) {
        // Unreadable (a link leaving the repository, too large): keep what it held.
        return {
          path,
          applicationSets: [],
          problems: [{ path, field: 'path', rule: 'unreadable', message: content.message }],
          rejectedNames: [],
          keepAll: true,
        };
      }
      const result = parseApplicationSets(content.toString('utf8'), {
        source: path,
        ignoreOtherKinds: true,
      });
      const problems = result.problems.map((p) => ({
        path,
        field: p.field,
        rule: p.rule,
        message: p.message,
        ...(p.line && { line: p.line }),
      }));
      return {
        path,
        applicationSets: result.documents.map((d) => d.applicationSet),
        problems,
        rejectedNames: result.rejected.flatMap((r) => (r.name ? [r.name] : [])),
        keepAll:
          problems.length > 0 &&
          (result.rejected.length === 0 || result.rejected.some((r) => !r.name)),
      };
    });
  }

  /**
   * Every file's bytes in one batch; when the batch refuses some path, each
   * file is read alone so one bad file is reported while the others apply.
   * A Git failure (Upstream) still fails the whole pass.
   */
  private async readContents(
    source: Source,
    sha: string,
    paths: readonly string[],
  ): Promise<Map<string, Buffer | Error>> {
    if (paths.length === 0) return new Map();
    try {
      return new Map(await this.git.readFiles(source.repoURL, sha, paths));
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === DomainErrorCode.Upstream) throw error;
    }
    const contents = new Map<string, Buffer | Error>();
    for (const path of paths) {
      try {
        contents.set(path, await this.git.readFile(source.repoURL, sha, path));
      } catch (error) {
        if (!(error instanceof DomainError) || error.code === DomainErrorCode.Upstream) throw error;
        contents.set(path, error);
      }
    }
    return contents;
  }

  private async saveStatus(source: Source, status: SourceStatus): Promise<void> {
    // Unchanged results write nothing; the sync time moves only with the revision.
    const same = jsonEqual(
      { ...source.status, syncedAt: undefined },
      { ...status, syncedAt: undefined },
    );
    if (same) return;
    const keepTime = status.revision === source.status.revision && source.status.syncedAt;
    await this.sources.saveStatus(
      source.id,
      keepTime ? { ...status, syncedAt: source.status.syncedAt } : status,
    );
  }
}
