import { ApiProperty } from '@nestjs/swagger';

export class FieldProblemDto {
  @ApiProperty({ example: "labels['topology.kubernetes.io/zone']" })
  field: string;
  @ApiProperty({ example: 'label-value' })
  rule: string;
  @ApiProperty({ example: 'must be no more than 63 characters' })
  message: string;
}

/** The body of every error response. */
export class ErrorResponse {
  @ApiProperty({ example: 422 })
  statusCode: number;
  @ApiProperty({ example: 'Unprocessable Entity' })
  error: string;
  @ApiProperty({ example: 'Invalid', description: 'Machine-readable error code' })
  code: string;
  @ApiProperty({ example: "labels['env']: must be no more than 63 characters" })
  message: string;
  @ApiProperty({ type: [FieldProblemDto] })
  details: FieldProblemDto[];
}
