import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ApplicationSetResponse {
  @ApiProperty({ example: 'argoproj.io/v1alpha1' })
  apiVersion: string;
  @ApiProperty({ example: 'ApplicationSet' })
  kind: string;
  @ApiProperty({
    description: 'name, uid, labels, annotations, generation, creationTimestamp',
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
    description:
      'Generated Applications in generator order: metadata, spec, params (the parameter set it was rendered from: flat keys to strings, natural JSON for flatList) and problems (why a reconcile would not write it: invalid or duplicate name, destination cluster not registered, name owned by another ApplicationSet, ...)',
    type: 'array',
    items: { type: 'object' },
  })
  applications: unknown[];
  @ApiProperty({
    description:
      'Document warnings ({field, rule, message, line}) then generation and rendering warnings ({field, message, generatorIndex}), such as a tag left verbatim',
    type: 'array',
    items: { type: 'object' },
  })
  warnings: unknown[];
  @ApiProperty({
    description:
      'What a reconcile would change against the Applications the ApplicationSet of that name owns: create (names), update ({name, changes: [{path, from, to}]}), delete (names), unchanged (count); keep (names the policy keeps) and blockedDeletions ({names, limit}, when the deletion budget would hold the reconcile back) only when they apply',
    type: 'object',
    additionalProperties: true,
  })
  plan: Record<string, unknown>;
}
