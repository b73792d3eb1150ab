/**
 * The "spec" half of Argo CD's once-per-(commit, spec) auto-sync rule (pure
 * function): a hash of what decides the result of a sync besides the
 * commit. A change of source, destination or sync options makes a new
 * target worth one attempt; switching prune or self-heal on or off does not.
 */
import { Application } from '../../../argo/application.types';
import { contentHash } from '../../manifests/content-hash';

/** Hash of the source(s), destination, sync options and managed namespace metadata. */
export function syncSpecHash(app: Application): string {
  const { source, sources, destination, syncPolicy } = app.spec;
  return contentHash({
    source: source ?? null,
    sources: sources ?? null,
    destination,
    syncOptions: syncPolicy?.syncOptions ?? [],
    managedNamespaceMetadata: syncPolicy?.managedNamespaceMetadata ?? null,
  });
}
