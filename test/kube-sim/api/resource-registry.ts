/**
 * The resource types one virtual cluster serves: the built-in table plus the
 * kinds of its established CustomResourceDefinitions. Creating or deleting a
 * CRD changes what is servable and discoverable at once, as it does on a real
 * API server once the CRD is Established.
 */
import { BUILTIN_RESOURCES } from './builtin-resources';
import { resourcesOfCrd } from './crd-resources';
import { KubeObject, objectName } from './kube-object';
import { ResourceType } from './resource-type';

/** The groups of the built-in types, in the order a 1.32 server lists them. */
const BUILTIN_GROUP_ORDER = [
  'apps',
  'batch',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
];

/** A served group and its versions, for discovery. */
export interface ServedGroup {
  readonly name: string;
  readonly versions: readonly {
    readonly version: string;
    readonly resources: readonly ResourceType[];
  }[];
}

export class ResourceRegistry {
  /** Custom types by CRD name. */
  private readonly custom = new Map<string, ResourceType[]>();
  private index = new Map<string, ResourceType>();

  constructor() {
    this.rebuild();
  }

  /** Resolves `/apis/<group>/<version>/<plural>` (group `''` for `/api/v1`). */
  byResource(group: string, version: string, plural: string): ResourceType | undefined {
    return this.index.get(`r|${group}|${version}|${plural}`);
  }

  /** Resolves an object's `apiVersion` and `kind`. */
  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.index.get(`k|${group}|${version}|${kind}`);
  }

  /** The preferred served type of a `group/plural` storage key (for controllers walking the store). */
  byStorageKey(key: string): ResourceType | undefined {
    const slash = key.indexOf('/');
    const group = key.slice(0, slash);
    const plural = key.slice(slash + 1);
    return this.all().find((t) => t.group === group && t.plural === plural);
  }

  /** Serves the kinds of an established CRD (replacing what an earlier version of it defined). */
  defineCustom(crd: KubeObject): void {
    this.custom.set(objectName(crd), resourcesOfCrd(crd));
    this.rebuild();
  }

  /** Stops serving a CRD's kinds. */
  removeCustom(crdName: string): void {
    if (this.custom.delete(crdName)) this.rebuild();
  }

  /** True when another CRD than `crdName` already serves `plural` in `group`. */
  namesTaken(crdName: string, group: string, plural: string): boolean {
    for (const [name, types] of this.custom) {
      if (name !== crdName && types.some((t) => t.group === group && t.plural === plural))
        return true;
    }
    return false;
  }

  /** Every served type. */
  all(): ResourceType[] {
    return [...BUILTIN_RESOURCES, ...[...this.custom.values()].flat()];
  }

  /** The core group's types (`/api/v1`). */
  core(): ResourceType[] {
    return BUILTIN_RESOURCES.filter((t) => t.group === '');
  }

  /** Named groups (`/apis`), built-in first in server order, then custom groups by name. */
  groups(): ServedGroup[] {
    const byGroup = new Map<string, Map<string, ResourceType[]>>();
    for (const type of this.all()) {
      if (!type.group) continue;
      const versions = byGroup.get(type.group) ?? new Map<string, ResourceType[]>();
      versions.set(type.version, [...(versions.get(type.version) ?? []), type]);
      byGroup.set(type.group, versions);
    }
    const rank = (group: string) => {
      const i = BUILTIN_GROUP_ORDER.indexOf(group);
      return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
    };
    return [...byGroup.keys()]
      .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => ({
        name,
        versions: [...(byGroup.get(name) ?? new Map()).entries()]
          .sort(([a], [b]) => compareVersions(b, a))
          .map(([version, resources]) => ({ version, resources })),
      }));
  }

  private rebuild(): void {
    const index = new Map<string, ResourceType>();
    for (const type of this.all()) {
      index.set(`r|${type.group}|${type.version}|${type.plural}`, type);
      index.set(`k|${type.group}|${type.version}|${type.kind}`, type);
    }
    this.index = index;
  }
}

/**
 * Kubernetes version priority (`v1` > `v1beta2` > `v1beta1` > `v1alpha1`), so
 * the preferred version is listed first, as `version.CompareKubeAwareVersionStrings` orders them.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [-1, 0, 0];
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [sa, ma, na] = parse(a);
  const [sb, mb, nb] = parse(b);
  if (sa === -1 || sb === -1) return sa === sb ? (a < b ? 1 : a > b ? -1 : 0) : sa - sb;
  return sa - sb || ma - mb || na - nb;
}
