import { ApiProperty } from '@nestjs/swagger';

export class ApplicationResponse {
  @ApiProperty({ example: 'argoproj.io/v1alpha1' })
  apiVersion: string;
  @ApiProperty({ example: 'Application' })
  kind: string;
  @ApiProperty({
    description:
      'name, uid, labels, annotations, finalizers, the owning ApplicationSet, generation, creationTimestamp',
    type: 'object',
    additionalProperties: true,
  })
  metadata: Record<string, unknown>;
  @ApiProperty({
    description: 'project, source(s), destination, syncPolicy (Argo CD format)',
    type: 'object',
    additionalProperties: true,
  })
  spec: Record<string, unknown>;
  @ApiProperty({
    description: 'Destination cluster as resolved, and the sync engine status',
    type: 'object',
    additionalProperties: true,
  })
  status: Record<string, unknown>;
}

export class ApplicationListResponse {
  @ApiProperty({ type: [ApplicationResponse] })
  items: ApplicationResponse[];
  @ApiProperty({ nullable: true, type: String })
  continue: string | null;
}
