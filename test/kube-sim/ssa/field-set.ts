/**
 * A set of field paths, shaped like structured-merge-diff's `fieldpath.Set`:
 * at each level, the path elements that are members of the set and the child
 * sets below them. Serialises to and from the `fieldsV1` JSON of
 * `metadata.managedFields` (`{"f:spec":{"f:replicas":{}}}`, with `".":{}`
 * marking a node that is a member and also has children). Operations return
 * new sets; only `insert` mutates.
 */
import { JsonMap, isJsonMap } from '../api/json';
import { FieldPath, PathElement, comparePathElements } from './field-path';

export class FieldSet {
  private readonly members = new Set<PathElement>();
  private readonly children = new Map<PathElement, FieldSet>();

  /** A set of the given paths. */
  static of(...paths: FieldPath[]): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.insert(path);
    return set;
  }

  /** Adds `path` (a path of length 0 is ignored: the root is never a member). */
  insert(path: FieldPath): void {
    if (path.length === 0) return;
    const parent = path
      .slice(0, -1)
      .reduce<FieldSet>((node, element) => node.descend(element), this);
    parent.members.add(path[path.length - 1]);
  }

  /** The child set below `element`, created when missing (mutates). */
  descend(element: PathElement): FieldSet {
    let child = this.children.get(element);
    if (!child) {
      child = new FieldSet();
      this.children.set(element, child);
    }
    return child;
  }

  has(path: FieldPath): boolean {
    if (path.length === 0) return false;
    const parent = path
      .slice(0, -1)
      .reduce<FieldSet | undefined>((node, element) => node?.children.get(element), this);
    return parent?.members.has(path[path.length - 1]) ?? false;
  }

  /** True when `element` is a member at this level. */
  hasMember(element: PathElement): boolean {
    return this.members.has(element);
  }

  /** The paths below `element` (SMD `WithPrefix`), empty when none. */
  withPrefix(element: PathElement): FieldSet {
    return this.children.get(element) ?? EMPTY;
  }

  isEmpty(): boolean {
    if (this.members.size > 0) return false;
    for (const child of this.children.values()) if (!child.isEmpty()) return false;
    return true;
  }

  union(other: FieldSet): FieldSet {
    const out = this.copy();
    out.addAll(other);
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) if (other.members.has(member)) out.members.add(member);
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      if (!otherChild) continue;
      const both = child.intersection(otherChild);
      if (!both.isEmpty()) out.children.set(element, both);
    }
    return out;
  }

  /** Paths of this set that are not paths of `other` (children of a removed member stay). */
  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) if (!other.members.has(member)) out.members.add(member);
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      const rest = otherChild ? child.difference(otherChild) : child.copy();
      if (!rest.isEmpty()) out.children.set(element, rest);
    }
    return out;
  }

  /** Like `difference`, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) if (!other.members.has(member)) out.members.add(member);
    for (const [element, child] of this.children) {
      if (other.members.has(element)) continue;
      const otherChild = other.children.get(element);
      const rest = otherChild ? child.recursiveDifference(otherChild) : child.copy();
      if (!rest.isEmpty()) out.children.set(element, rest);
    }
    return out;
  }

  /**
   * The set with every named field that has children made a member too (SMD
   * `EnsureNamedFieldsAreMembers`): owning `spec.replicas` implies a claim on
   * `spec`, so pruning never removes a field someone still has a stake in.
   */
  ensureNamedFieldsAreMembers(): FieldSet {
    const out = new FieldSet();
    for (const member of this.members) out.members.add(member);
    for (const [element, child] of this.children) {
      if (element.startsWith('f:') && !child.isEmpty()) out.members.add(element);
      out.children.set(element, child.ensureNamedFieldsAreMembers());
    }
    return out;
  }

  /** Same member paths (without building sets: ownership checks run on every write). */
  equals(other: FieldSet): boolean {
    return this.isSubsetOf(other) && other.isSubsetOf(this);
  }

  /** True when every member path of this set is one of `other`. */
  isSubsetOf(other: FieldSet): boolean {
    for (const member of this.members) if (!other.members.has(member)) return false;
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      if (otherChild ? !child.isSubsetOf(otherChild) : !child.isEmpty()) return false;
    }
    return true;
  }

  /** True when the sets share a member path. */
  intersects(other: FieldSet): boolean {
    for (const member of this.members) if (other.members.has(member)) return true;
    for (const [element, child] of this.children) {
      const otherChild = other.children.get(element);
      if (otherChild && child.intersects(otherChild)) return true;
    }
    return false;
  }

  /** Every member path, in serialisation order. */
  paths(): PathElement[][] {
    const out: PathElement[][] = [];
    const walk = (set: FieldSet, prefix: PathElement[]): void => {
      const elements = new Set([...set.members, ...set.children.keys()]);
      for (const element of [...elements].sort(comparePathElements)) {
        if (set.members.has(element)) out.push([...prefix, element]);
        const child = set.children.get(element);
        if (child) walk(child, [...prefix, element]);
      }
    };
    walk(this, []);
    return out;
  }

  /** The `fieldsV1` JSON form, keys in SMD's order with `.` first. */
  toFieldsV1(): JsonMap {
    const out: JsonMap = {};
    const elements = new Set([...this.members, ...this.children.keys()]);
    for (const element of [...elements].sort(comparePathElements)) {
      const child = this.children.get(element);
      const childJson = child && !child.isEmpty() ? child.toFieldsV1() : undefined;
      if (childJson) {
        out[element] = this.members.has(element) ? { '.': {}, ...childJson } : childJson;
      } else if (this.members.has(element)) {
        out[element] = {};
      }
    }
    return out;
  }

  /** Parses `fieldsV1` JSON; unknown element types are dropped, as SMD drops them. */
  static fromFieldsV1(json: JsonMap): FieldSet {
    const set = new FieldSet();
    for (const [key, value] of Object.entries(json)) {
      if (key === '.' || !/^[fkvi]:/.test(key) || !isJsonMap(value)) continue;
      const entries = Object.keys(value);
      const isLeaf = entries.length === 0;
      if (isLeaf || entries.includes('.')) set.members.add(key);
      if (!isLeaf) {
        const child = FieldSet.fromFieldsV1(value);
        if (!child.isEmpty()) set.children.set(key, child);
      }
    }
    return set;
  }

  private copy(): FieldSet {
    const out = new FieldSet();
    out.addAll(this);
    return out;
  }

  private addAll(other: FieldSet): void {
    for (const member of other.members) this.members.add(member);
    for (const [element, child] of other.children) this.descend(element).addAll(child);
  }
}

const EMPTY = new FieldSet();
