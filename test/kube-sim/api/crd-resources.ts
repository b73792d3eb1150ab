/**
 * The resource types a CustomResourceDefinition defines (one per served
 * version) and the status the apiextensions controller writes on it
 * (NamesAccepted, Established). Pure functions.
 */
import { crdTypes } from '../schema/crd-field-types';
import { Json, JsonMap, childMap, isJsonMap } from './json';
import { KubeObject, kubeTime } from './kube-object';
import { PrinterColumn, ResourceType, STANDARD_VERBS } from './resource-type';

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: Json | undefined, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/** The CRD's names with the defaults the API server fills in. */
export function crdNames(crd: KubeObject): {
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  shortNames: string[];
  categories: string[];
} {
  const names = childMap(childMap(crd, 'spec'), 'names') ?? {};
  const kind = text(names.kind);
  return {
    kind,
    plural: text(names.plural),
    singular: text(names.singular, kind.toLowerCase()),
    listKind: text(names.listKind, `${kind}List`),
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
  };
}

/** One resource type per served version of the CRD. */
export function resourcesOfCrd(crd: KubeObject): ResourceType[] {
  const spec = childMap(crd, 'spec') ?? {};
  const group = text(spec.group);
  const names = crdNames(crd);
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonMap) : [];
  return versions
    .filter((v) => v.served !== false)
    .map((version) => {
      const subresources = childMap(version, 'subresources') ?? {};
      const scale = childMap(subresources, 'scale');
      const schema = childMap(childMap(version, 'schema'), 'openAPIV3Schema');
      return {
        group,
        version: text(version.name),
        kind: names.kind,
        listKind: names.listKind,
        plural: names.plural,
        singular: names.singular,
        namespaced: spec.scope !== 'Cluster',
        shortNames: names.shortNames,
        categories: names.categories,
        verbs: STANDARD_VERBS,
        statusSubresource: isJsonMap(subresources.status),
        scale: scale
          ? {
              specReplicasPath: text(scale.specReplicasPath, '.spec.replicas'),
              statusReplicasPath: text(scale.statusReplicasPath, '.status.replicas'),
            }
          : undefined,
        generation: 'non-metadata',
        returnsDeletedObject: false,
        custom: true,
        types: crdTypes(names.kind, schema),
        printerColumns: printerColumns(version),
        openAPIV3Schema: schema,
      } satisfies ResourceType;
    });
}

function printerColumns(version: JsonMap): PrinterColumn[] {
  const columns = Array.isArray(version.additionalPrinterColumns)
    ? version.additionalPrinterColumns.filter(isJsonMap)
    : [];
  return columns.map((c) => ({
    name: text(c.name),
    type: text(c.type, 'string'),
    jsonPath: text(c.jsonPath),
    description: text(c.description),
    priority: typeof c.priority === 'number' ? c.priority : 0,
    format: text(c.format),
  }));
}

/**
 * The status the apiextensions controller writes: accepted names, the stored
 * versions and the NamesAccepted/Established conditions (True unless another
 * CRD already serves the same names).
 */
export function crdStatus(crd: KubeObject, namesTaken: boolean, now: Date): JsonMap {
  const names = crdNames(crd);
  const spec = childMap(crd, 'spec') ?? {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isJsonMap) : [];
  const storage = versions.find((v) => v.storage === true);
  const time = kubeTime(now);
  const accepted = !namesTaken;
  const acceptedNames: JsonMap = {
    plural: names.plural,
    singular: names.singular,
    kind: names.kind,
    listKind: names.listKind,
  };
  if (names.shortNames.length) acceptedNames.shortNames = names.shortNames;
  if (names.categories.length) acceptedNames.categories = names.categories;
  return {
    conditions: [
      {
        type: 'NamesAccepted',
        status: accepted ? 'True' : 'False',
        lastTransitionTime: time,
        reason: accepted ? 'NoConflicts' : 'NameConflict',
        message: accepted ? 'no conflicts found' : `"${names.plural}" is already in use`,
      },
      {
        type: 'Established',
        status: accepted ? 'True' : 'False',
        lastTransitionTime: time,
        reason: accepted ? 'InitialNamesAccepted' : 'NotAccepted',
        message: accepted ? 'the initial names have been accepted' : 'not all names are accepted',
      },
    ],
    acceptedNames: accepted ? acceptedNames : { plural: '', kind: '' },
    storedVersions: storage ? [text(storage.name)] : [],
  };
}

/** `<plural>.<group>`, the only name a CRD may have. */
export function expectedCrdName(crd: KubeObject): string {
  return `${crdNames(crd).plural}.${text(childMap(crd, 'spec')?.group)}`;
}

export function isEstablished(crd: KubeObject): boolean {
  const conditions = childMap(crd, 'status')?.conditions;
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => isJsonMap(c) && c.type === 'Established' && c.status === 'True')
  );
}
