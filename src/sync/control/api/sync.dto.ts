/** Wire formats of the sync API, for OpenAPI (the service builds plain objects of these shapes). */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SyncRequestBody {
  @ApiPropertyOptional({
    description: 'Branch, tag or commit to sync instead of the target revision',
    example: 'v1.4.2',
  })
  revision?: string;
  @ApiPropertyOptional({
    description:
      'For an Application with spec.sources: branch, tag or commit per source (at sourcePositions, or one per source in order); the other sources at their target revision',
    type: [String],
    example: ['v1.4.2'],
  })
  revisions?: string[];
  @ApiPropertyOptional({
    description: '1-based positions in spec.sources of the revisions',
    type: [Number],
    example: [1],
  })
  sourcePositions?: number[];
  @ApiPropertyOptional({ description: 'Delete tracked objects no longer in Git', default: false })
  prune?: boolean;
  @ApiPropertyOptional({ description: 'Server-side dry run: nothing is changed', default: false })
  dryRun?: boolean;
  @ApiPropertyOptional({
    description: 'Let prune delete every resource of the Application',
    default: false,
  })
  allowEmpty?: boolean;
}

export class RollbackRequestBody {
  @ApiPropertyOptional({
    description: 'History id to deploy again (default: the deployment before the current one)',
    example: 3,
  })
  id?: number;
  @ApiPropertyOptional({ default: false })
  prune?: boolean;
  @ApiPropertyOptional({ default: false })
  dryRun?: boolean;
}

export class OperationAccepted {
  @ApiProperty({ example: 'web-prod-eu-1' })
  application: string;
  @ApiProperty({
    description:
      'The requested operation (id, kind, revision, prune, dryRun, initiatedBy); follow it in status.operationState',
    type: 'object',
    additionalProperties: true,
  })
  operation: Record<string, unknown>;
}

export class TerminateAccepted {
  @ApiProperty({ example: 'web-prod-eu-1' })
  application: string;
  @ApiProperty({ example: 'termination requested' })
  message: string;
}

export class DeletionAccepted {
  @ApiProperty({ example: 'web-prod-eu-1' })
  application: string;
  @ApiProperty({
    description: 'true while the worker prunes its resources; false once the Application is gone',
  })
  deleting: boolean;
  @ApiProperty({ example: 'deletion requested: its resources are pruned, then it is removed' })
  message: string;
}

export class HistoryResponse {
  @ApiProperty({
    description:
      'Successful syncs, oldest first: id, revision (or revisions, for spec.sources), deployedAt, deployStartedAt, initiatedBy, source (or sources)',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  items: unknown[];
}

export class ResourcesResponse {
  @ApiProperty({
    description: 'group, version, kind, namespace, name, status, health, requiresPruning, hook',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  items: unknown[];
}

/** One resource of a diff. */
export interface ResourceDiffItem {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: string;
  readonly differences: readonly { path: string; desired?: unknown; live?: unknown }[];
}

export interface ApplicationDiff {
  /** The commit rendered (an Application with one source). */
  readonly revision?: string;
  /** The commit of each source rendered (an Application with `spec.sources`). */
  readonly revisions?: readonly string[];
  readonly syncStatus: string;
  readonly items: readonly ResourceDiffItem[];
}

export class DiffResponse implements ApplicationDiff {
  @ApiPropertyOptional({ description: 'The commit rendered (one source)' })
  revision?: string;
  @ApiPropertyOptional({
    description: 'The commit of each source rendered (spec.sources), in order',
    type: [String],
  })
  revisions?: string[];
  @ApiProperty({ enum: ['Synced', 'OutOfSync', 'Unknown'] })
  syncStatus: string;
  @ApiProperty({
    description:
      'Per resource: ref, status (Synced, OutOfSync, Missing, Extraneous) and differences [{path, desired, live}]; Secret values are masked',
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  items: ResourceDiffItem[];
}
