/**
 * Brings the ApplicationSets of one Git source in line with a commit: reads
 * every YAML/JSON file under the source path, applies the valid
 * ApplicationSets, reports the broken files, and requests deletion of the
 * ApplicationSets whose files are gone (the deletion budget still applies to
 * their Applications). A Git failure changes nothing and is retried.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { GitMirrorCache } from '../git/git-mirror-cache';
import { parseApplicationSets } from '../applicationsets/document';
import { ApplicationSetRepository } from '../applicationsets/applicationset.repository';
import { APPLICATIONSET_WORK } from '../applicationsets/applicationset.service';
import { toApplicationSetWrite } from '../applicationsets/applicationset-write';
import { canonicalJson } from '../sync/manifests/content-hash';
import { withJitter } from '../work-queue/work-queue.backoff';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One pass; returns when to poll again. */
  async sync(sourceId: string): Promise<{ rerunAt: Date | null }> {
    const source = await this.sources.findById(sourceId);
    if (!source) return { rerunAt: null };
    const next = new Date(Date.now() + withJitter(this.config.git.pollSeconds * 1000));
    let sha: string;
    let files: ParsedSourceFile[];
    try {
      sha = await this.git.resolveRevision(source.repoURL, source.revision);
      if (sha === source.status.revision && !source.status.error) return { rerunAt: next };
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
    const others = new Map(
      (await Promise.all(names.map((n) => this.appSets.findByName(n))))
        .filter((a) => a !== null)
        .map((a) => [a.name, a]),
    );
    const plan = planSource(source.id, files, owned, others);
    const queued: string[] = [];
    for (const item of plan.upsert) {
      const write = toApplicationSetWrite(item.appSet, {
        sourceId: source.id,
        sourcePath: item.path,
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
    return { rerunAt: next };
  }

  private async readFiles(source: Source, sha: string): Promise<ParsedSourceFile[]> {
    const paths = sourceFiles(
      await this.git.listTree(source.repoURL, sha),
      source.path,
      source.recurse,
    );
    const contents = paths.length
      ? await this.git.readFiles(source.repoURL, sha, paths)
      : new Map<string, Buffer>();
    return paths.map((path) => {
      const result = parseApplicationSets(contents.get(path)!.toString('utf8'), {
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

  private async saveStatus(source: Source, status: SourceStatus): Promise<void> {
    // Unchanged results write nothing; the sync time moves only with the revision.
    const same =
      canonicalJson({ ...source.status, syncedAt: undefined }) ===
      canonicalJson({ ...status, syncedAt: undefined });
    if (same) return;
    const keepTime = status.revision === source.status.revision && source.status.syncedAt;
    await this.sources.saveStatus(
      source.id,
      keepTime ? { ...status, syncedAt: source.status.syncedAt } : status,
    );
  }
}
