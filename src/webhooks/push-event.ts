/**
 * What a GitHub or GitLab push says (pure function): the repository's URLs
 * and the pushed ref. Every field is checked before use, so a crafted
 * payload is refused instead of crashing (Argo CD fix 46409ae7).
 */
export interface PushEvent {
  /** Every URL the provider gives for the repository (web, https clone, ssh). */
  readonly repoUrls: readonly string[];
  /** Branch or tag name pushed (without `refs/heads/` or `refs/tags/`), if any. */
  readonly ref: string | null;
  readonly defaultBranch: string | null;
}

export type Provider = 'github' | 'gitlab';

export function parsePushEvent(provider: Provider, payload: unknown): PushEvent | null {
  if (!isObject(payload)) return null;
  const repository = provider === 'github' ? payload.repository : payload.project;
  if (!isObject(repository)) return null;
  const keys =
    provider === 'github'
      ? ['html_url', 'clone_url', 'ssh_url', 'url']
      : ['web_url', 'git_http_url', 'git_ssh_url', 'http_url', 'ssh_url'];
  const repoUrls = [
    ...new Set(
      keys
        .map((k) => repository[k])
        .filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length < 2048),
    ),
  ];
  if (repoUrls.length === 0) return null;
  const ref =
    typeof payload.ref === 'string' ? payload.ref.replace(/^refs\/(heads|tags)\//, '') : null;
  const defaultBranch =
    typeof repository.default_branch === 'string' ? repository.default_branch : null;
  return { repoUrls, ref, defaultBranch };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
