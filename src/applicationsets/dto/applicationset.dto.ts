import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApplicationSetResponse {
  @ApiProperty({ example: 'argoproj.io/v1alpha1' })
  apiVersion: string;
  @ApiProperty({ example: 'ApplicationSet' })
  kind: string;
  @ApiProperty({
    description: 'name, labels, annotations, generation, creationTimestamp',
    type: 'object',
    additionalProperties: true,
  })
  metadata: Record<string, unknown>;
  @ApiProperty({
    description: 'As submitted (Argo CD format)',
    type: 'object',
    additionalProperties: true,
  })
  spec: Record<string, unknown>;
  @ApiProperty({
    description:
      'conditions (ErrorOccurred, ParametersGenerated, ResourcesUpToDate, DeletionBudgetExceeded), owned Applications, revisions, problems',
    type: 'object',
    additionalProperties: true,
  })
  status: Record<string, unknown>;
  @ApiPropertyOptional({
    description:
      'The Git source managing it, if any: name, file path, and the commit the document was last changed in',
    nullable: true,
    type: 'object',
    additionalProperties: true,
  })
  source: { name: string; path: string; revision: string | null } | null;
}

export class ApplicationSetListResponse {
  @ApiProperty({ type: [ApplicationSetResponse] })
  items: ApplicationSetResponse[];
  @ApiProperty({ nullable: true, type: String })
  continue: string | null;
}

export class PreviewResponse {
  @ApiProperty({
    description: 'Generated Applications: metadata, spec, params, problems',
    type: 'array',
    items: { type: 'object' },
  })
  applications: unknown[];
  @ApiProperty({ type: 'array', items: { type: 'object' } })
  warnings: unknown[];
  @ApiProperty({
    description:
      'create / update (with field changes) / delete against what the ApplicationSet of that name owns',
    type: 'object',
    additionalProperties: true,
  })
  plan: Record<string, unknown>;
}
