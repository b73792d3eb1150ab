/**
 * Request and response shapes of the cluster API, for OpenAPI. Validation is
 * done by the pure parsers in `cluster-input.ts`, which name every field and
 * rule; these classes only describe the wire format.
 */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const LABELS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { env: 'prod', region: 'eu' },
} as const;

export class ClusterCredentialsRequest {
  @ApiPropertyOptional({
    description: 'Bearer token (e.g. a ServiceAccount token).',
    writeOnly: true,
  })
  bearerToken?: string;
  @ApiPropertyOptional({
    description: 'Client certificate, PEM or base64 of PEM.',
    writeOnly: true,
  })
  clientCertificateData?: string;
  @ApiPropertyOptional({
    description: 'Private key of the client certificate, PEM or base64 of PEM.',
    writeOnly: true,
  })
  clientKeyData?: string;
  @ApiPropertyOptional({
    description: 'CA bundle that signs the API server certificate, PEM or base64 of PEM.',
  })
  caData?: string;
  @ApiPropertyOptional({
    description: 'Skip server certificate verification (not with caData).',
    default: false,
  })
  insecureSkipTLSVerify?: boolean;
}

export class RegisterClusterRequest {
  @ApiProperty({
    description: 'Unique, free-form (1–253 printable characters), as in Argo CD.',
    example: 'prod-eu-1',
  })
  name: string;
  @ApiProperty({
    description: 'API server URL: https://, or http:// for loopback only.',
    example: 'https://10.0.0.1:6443',
  })
  server: string;
  @ApiPropertyOptional(LABELS)
  labels?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  annotations?: Record<string, string>;
  @ApiPropertyOptional({
    description: 'Argo CD project the cluster belongs to.',
    nullable: true,
    type: String,
  })
  project?: string | null;
  @ApiPropertyOptional({ type: ClusterCredentialsRequest })
  credentials?: ClusterCredentialsRequest;
}

export class ImportClusterRequest {
  @ApiProperty({
    description:
      'A kubeconfig YAML with embedded credentials (kubectl config view --flatten --minify).',
  })
  kubeconfig: string;
  @ApiPropertyOptional({ description: 'Context to import; the current context when omitted.' })
  context?: string;
  @ApiPropertyOptional({ description: 'Cluster name; the context name when omitted.' })
  name?: string;
  @ApiPropertyOptional(LABELS)
  labels?: Record<string, string>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  annotations?: Record<string, string>;
  @ApiPropertyOptional({ nullable: true, type: String })
  project?: string | null;
}

export class UpdateClusterRequest {
  @ApiPropertyOptional({ example: 'https://10.0.0.2:6443' })
  server?: string;
  @ApiPropertyOptional({
    description: 'Merged into the labels; a null value removes the key.',
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { env: 'staging', legacy: null },
  })
  labels?: Record<string, string | null>;
  @ApiPropertyOptional({
    description: 'Merged like labels.',
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
  })
  annotations?: Record<string, string | null>;
  @ApiPropertyOptional({ nullable: true, type: String })
  project?: string | null;
  @ApiPropertyOptional({
    type: ClusterCredentialsRequest,
    nullable: true,
    description: 'Replaces all credentials; null removes them.',
  })
  credentials?: ClusterCredentialsRequest | null;
}

export class CredentialSummary {
  @ApiProperty({
    enum: ['bearerToken', 'clientCertificate', 'caData'],
    isArray: true,
    description: 'Which credentials are set; never their values.',
  })
  kinds: string[];
  @ApiProperty()
  insecureSkipTLSVerify: boolean;
}

export class ConnectionState {
  @ApiProperty({ enum: ['Unknown', 'Successful', 'Failed'] })
  status: string;
  @ApiProperty({ nullable: true, type: String })
  message: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'v1.32.0' })
  serverVersion: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  checkedAt: string | null;
}

export class ClusterResponse {
  @ApiProperty()
  name: string;
  @ApiProperty()
  server: string;
  @ApiProperty(LABELS)
  labels: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  annotations: Record<string, string>;
  @ApiProperty({ nullable: true, type: String })
  project: string | null;
  @ApiProperty({ type: CredentialSummary })
  credentials: CredentialSummary;
  @ApiProperty({ type: ConnectionState })
  connection: ConnectionState;
  @ApiProperty({ description: 'Increases with every change of the registration.' })
  resourceVersion: number;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class ClusterListResponse {
  @ApiProperty({ type: [ClusterResponse] })
  items: ClusterResponse[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as `continue` for the next page; null on the last page.',
  })
  continue: string | null;
}
