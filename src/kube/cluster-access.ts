/** Everything needed to talk to one cluster's API server (decrypted, in memory only). */
export interface ClusterAccess {
  readonly server: string;
  readonly bearerToken?: string;
  /** PEM. */
  readonly clientCertificateData?: string;
  /** PEM. */
  readonly clientKeyData?: string;
  /** PEM CA bundle. */
  readonly caData?: string;
  readonly insecureSkipTLSVerify: boolean;
}
