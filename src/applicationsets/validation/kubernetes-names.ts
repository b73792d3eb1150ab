/**
 * The Kubernetes naming rules an Application must satisfy before the API
 * server would accept it (pure functions). Messages use the API server's
 * wording so users recognise them.
 */
import { dnsSubdomainProblems } from '../../labels';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_DNS1123_LABEL = 63;

/**
 * Problems of a DNS-1123 label (`my-namespace`), the rule for namespace names:
 * at most 63 lower-case alphanumerics or `-`, alphanumeric at both ends.
 * Empty when valid.
 */
export function dnsLabelProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > MAX_DNS1123_LABEL) {
    problems.push(`must be no more than ${MAX_DNS1123_LABEL} characters`);
  }
  if (!DNS1123_LABEL.test(value)) {
    problems.push(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')",
    );
  }
  return problems;
}

/**
 * Problems of a Kubernetes object name (Applications, ApplicationSets): a
 * DNS-1123 subdomain of at most 253 characters. Empty when valid.
 */
export function objectNameProblems(value: string): string[] {
  return dnsSubdomainProblems(value);
}
