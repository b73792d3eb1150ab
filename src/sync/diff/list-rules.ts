/**
 * How the lists of built-in kinds merge under server-side apply, so the diff
 * aligns list items the way the API server does. A list with merge keys
 * (`containers` by `name`) is a map in disguise: items are matched by key,
 * and items others added are not drift. A set (`finalizers`) only needs our
 * items present. Every other list is compared position by position and must
 * keep its length (see compare-values.ts).
 *
 * Keys follow the `+listMapKey` / `patchMergeKey` markers of k8s.io/api. The
 * rules are matched on the field path, so they also apply to custom
 * resources that embed a Pod template (Argo Rollouts, Knative); lists inside
 * other custom resources are compared by position, because their schema
 * (`x-kubernetes-list-map-keys`) is not known here.
 */

/** How one list is compared. */
export type ListRule =
  | {
      readonly kind: 'map';
      readonly keys: readonly string[];
      readonly defaults?: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'set' };

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const TCP = { protocol: 'TCP' };

interface RuleEntry {
  /** Field names at the end of the path; `*` is a list item, `<container>` any container list. */
  readonly suffix: readonly string[];
  readonly rule: ListRule;
  /** Only for this kind (core group), when set. */
  readonly kind?: string;
}

const map = (keys: string[], defaults?: Record<string, string>): ListRule => ({
  kind: 'map',
  keys,
  defaults,
});

const RULES: readonly RuleEntry[] = [
  { suffix: ['<container>'], rule: map(['name']) },
  { suffix: ['<container>', '*', 'env'], rule: map(['name']) },
  { suffix: ['<container>', '*', 'ports'], rule: map(['containerPort', 'protocol'], TCP) },
  { suffix: ['<container>', '*', 'volumeMounts'], rule: map(['mountPath']) },
  { suffix: ['<container>', '*', 'volumeDevices'], rule: map(['devicePath']) },
  { suffix: ['<container>', '*', 'resizePolicy'], rule: map(['resourceName']) },
  { suffix: ['spec', 'volumes'], rule: map(['name']) },
  { suffix: ['spec', 'imagePullSecrets'], rule: map(['name']) },
  { suffix: ['spec', 'hostAliases'], rule: map(['ip']) },
  {
    suffix: ['spec', 'topologySpreadConstraints'],
    rule: map(['topologyKey', 'whenUnsatisfiable']),
  },
  { suffix: ['spec', 'resourceClaims'], rule: map(['name']) },
  { suffix: ['spec', 'schedulingGates'], rule: map(['name']) },
  { suffix: ['spec', 'ports'], rule: map(['port', 'protocol'], TCP), kind: 'Service' },
  { suffix: ['metadata', 'ownerReferences'], rule: map(['uid']) },
  { suffix: ['metadata', 'finalizers'], rule: { kind: 'set' } },
];

/**
 * The rule for the list at `fieldNames` (object keys from the root, `*` for
 * each list item), or undefined for a list compared by position.
 */
export function listRuleFor(
  kind: string,
  group: string,
  fieldNames: readonly string[],
): ListRule | undefined {
  return RULES.find((entry) => {
    if (entry.kind && (entry.kind !== kind || group !== '')) return false;
    if (fieldNames.length < entry.suffix.length) return false;
    const tail = fieldNames.slice(fieldNames.length - entry.suffix.length);
    return entry.suffix.every((expected, i) =>
      expected === '<container>' ? CONTAINER_LISTS.includes(tail[i]) : expected === tail[i],
    );
  })?.rule;
}
