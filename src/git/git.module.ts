import { Global, Module } from '@nestjs/common';
import * as path from 'node:path';
import { Counter, Histogram } from 'prom-client';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { GIT_READER } from '../generators/ports';
import { MetricsRegistry } from '../observability/metrics.registry';
import { GitMirrorCache } from './git-mirror-cache';
import { loadRepoCredentials } from './repo-credentials-file';

/**
 * The one GitMirrorCache of the process (as `GitMirrorCache` and as the
 * generators' `GIT_READER` port), with its fetches counted in Prometheus,
 * the operator's repository credentials and SSH known hosts.
 */
@Global()
@Module({
  providers: [
    {
      provide: GitMirrorCache,
      inject: [APP_CONFIG, MetricsRegistry],
      useFactory: (config: AppConfig, registry: MetricsRegistry) => {
        const requests = new Counter({
          name: 'fleetplane_git_request_total',
          help: 'Git network requests (fetches and clones) by repository and outcome',
          labelNames: ['repo', 'request_type', 'outcome'],
          registers: [registry],
        });
        const duration = new Histogram({
          name: 'fleetplane_git_request_duration_seconds',
          help: 'Duration of Git network requests',
          labelNames: ['repo', 'request_type'],
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 90],
          registers: [registry],
        });
        return new GitMirrorCache({
          rootDir: path.join(config.dataDir, 'git'),
          fetchIntervalSeconds: config.git.pollSeconds,
          allowFileRepos: config.allowFileRepos,
          // Read and checked now, so a mistake stops the start with every problem listed.
          credentials: config.git.credentialsFile
            ? loadRepoCredentials(config.git.credentialsFile)
            : undefined,
          sshKnownHosts: config.git.sshKnownHostsFile
            ? { file: config.git.sshKnownHostsFile }
            : undefined,
          observer: (event) => {
            requests.inc({
              repo: event.repo,
              request_type: event.requestType,
              outcome: event.outcome,
            });
            duration.observe(
              { repo: event.repo, request_type: event.requestType },
              event.durationSeconds,
            );
          },
        });
      },
    },
    { provide: GIT_READER, useExisting: GitMirrorCache },
  ],
  exports: [GitMirrorCache, GIT_READER],
})
export class GitModule {}
