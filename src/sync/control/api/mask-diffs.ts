/**
 * Defence in depth for `GET .../diff` (semantics.md C1, Argo's 2026 fix of
 * the resource-diff API): the execution half masks Secret values already;
 * this masks them again at the edge, so no future change there can leak a
 * Secret through the API. Masks follow Argo's rule (`+` runs: the same value
 * gets the same mask on both sides, a different value a longer one), and an
 * already masked value is left as it is.
 */
import { ResourceDiff } from '../../diff/diff-resources';
import { maskSecretValues } from '../../diff/mask-secrets';
import { KubeObject } from '../../manifests/kube-object';

const SECRET_FIELD = /^(data|stringData)(\.|\[|$)/;
const MASKED = /^\++$/;

/** The diffs with every Secret value masked (pure function). */
export function maskSecretDiffs(diffs: readonly ResourceDiff[]): ResourceDiff[] {
  return diffs.map((diff) => {
    if (diff.ref.kind !== 'Secret' || diff.ref.group !== '') return diff;
    const masks = new Map<string, string>();
    const mask = (value: unknown): unknown => {
      if (typeof value === 'string' && MASKED.test(value)) return value;
      if (value === undefined) return undefined;
      const key = JSON.stringify(value);
      if (!masks.has(key)) masks.set(key, '+'.repeat(8 + 4 * masks.size));
      return masks.get(key);
    };
    return {
      ...diff,
      differences: diff.differences.map((d) => {
        if (d.path === '') {
          const [desired, live] = maskSecretValues(
            d.desired as KubeObject | undefined,
            d.live as KubeObject | undefined,
          );
          return { ...d, ...(desired ? { desired } : {}), ...(live ? { live } : {}) };
        }
        if (!SECRET_FIELD.test(d.path)) return d;
        return {
          ...d,
          ...(d.desired !== undefined ? { desired: maskDeep(d.desired, mask) } : {}),
          ...(d.live !== undefined ? { live: maskDeep(d.live, mask) } : {}),
        } as typeof d;
      }),
    };
  });
}

/** A whole `data` map masks each value; a single value masks itself. */
function maskDeep(value: unknown, mask: (v: unknown) => unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  }
  return mask(value);
}
