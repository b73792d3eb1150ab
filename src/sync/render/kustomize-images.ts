/**
 * `spec.source.kustomize.images`: Argo's `kustomize edit set image`
 * arguments turned into `images[]` entries of the kustomization, merged by
 * name (pure functions).
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';

type Doc = Record<string, unknown>;

/** One `images[]` entry from an `edit set image` argument, or undefined when unreadable. */
export function parseImageOverride(
  text: string,
): { name: string; newName?: string; newTag?: string; digest?: string } | undefined {
  const equals = text.indexOf('=');
  const ref = splitImage(equals < 0 ? text : text.slice(equals + 1));
  if (!ref.repository) return undefined;
  if (equals < 0) {
    if (ref.tag === undefined && ref.digest === undefined) return undefined;
    return { name: ref.repository, ...tagOrDigest(ref) };
  }
  const name = text.slice(0, equals);
  if (!name) return undefined;
  return { name, newName: ref.repository, ...tagOrDigest(ref) };
}

function tagOrDigest(ref: { tag?: string; digest?: string }) {
  return {
    ...(ref.tag !== undefined ? { newTag: ref.tag } : {}),
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
}

function splitImage(text: string): { repository: string; tag?: string; digest?: string } {
  const at = text.indexOf('@');
  const digest = at < 0 ? undefined : text.slice(at + 1);
  const rest = at < 0 ? text : text.slice(0, at);
  // A ':' after the last '/' is a tag; before it, a registry port.
  const colon = rest.lastIndexOf(':');
  const tagged = colon > rest.lastIndexOf('/');
  return {
    repository: tagged ? rest.slice(0, colon) : rest,
    ...(tagged ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

export /** Merges the image overrides into `doc.images` (by name), reporting unreadable ones. */
function setImages(doc: Doc, value: unknown, field: string, problems: FieldProblem[]): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) {
    problems.push({ field, rule: 'type', message: 'must be a list of image overrides' });
    return;
  }
  const images = Array.isArray(doc.images) ? [...(doc.images as Doc[])] : [];
  value.forEach((item, index) => {
    const parsed = typeof item === 'string' ? parseImageOverride(item) : undefined;
    if (!parsed) {
      problems.push({
        field: fieldPath(field, index),
        rule: 'image',
        message: 'must read like nginx:1.25, nginx=registry/nginx:1.25 or nginx@sha256:…',
      });
      return;
    }
    const at = images.findIndex((image) => image?.name === parsed.name);
    const entry: Doc = at < 0 ? { name: parsed.name } : { ...images[at] };
    if (parsed.newName !== undefined) entry.newName = parsed.newName;
    if (parsed.newTag !== undefined) {
      entry.newTag = parsed.newTag;
      delete entry.digest;
    }
    if (parsed.digest !== undefined) {
      entry.digest = parsed.digest;
      if (parsed.newTag === undefined) delete entry.newTag;
    }
    if (at < 0) images.push(entry);
    else images[at] = entry;
  });
  if (images.length > 0) doc.images = images;
}
