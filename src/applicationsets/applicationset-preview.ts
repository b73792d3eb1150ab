/**
 * The dry-run preview of an ApplicationSet (issue 4, and issue 5's plan), as
 * a pure function of what the service read: the expansion, the generated
 * Applications with their problems (`desiredApplications`, the reconciler's
 * own step: validation and names another ApplicationSet owns), and the
 * Applications an ApplicationSet of that name owns now. It plans with the
 * reconciler's `planApplications`, so what the preview promises is what a
 * reconcile does.
 */
import { Application } from '../argo/application.types';
import { ApplicationsSyncPolicy } from '../argo/applicationset.types';
import { FieldProblem } from '../common/field-problem';
import { JsonChange, jsonDiff } from '../common/json-diff';
import { Expansion } from '../generators';
import { ClusterRecord } from '../generators/ports';
import { manifestHash } from '../applications/application-row';
import { DocumentProblem } from './document';
import { validateGeneratedApplications } from './validation';
import { BEING_DELETED, OwnershipFacts } from './reconcile/desired-applications';
import { DeletionBudget, DesiredApplication, planApplications } from './reconcile/application-plan';

export interface PreviewApplication {
  readonly metadata: Application['metadata'];
  readonly spec: Application['spec'];
  /** The parameter set it was rendered from: Argo's flat keys to strings (flatList: natural JSON). */
  readonly params: unknown;
  /** Why a reconcile would not write it; empty when it would. */
  readonly problems: readonly FieldProblem[];
}

export interface PreviewWarning {
  readonly message: string;
  /** ApplicationSet path, e.g. `spec.template.metadata.name`. */
  readonly field?: string;
  /** Index of the top-level generator it comes from (generation and rendering warnings). */
  readonly generatorIndex?: number;
  /** Line in the request body (document warnings). */
  readonly line?: number;
  /** Rule of a document warning (`ignored`, `never-matches`, ...). */
  readonly rule?: string;
}

/** What a reconcile would change, against what the ApplicationSet of that name owns now. */
export interface PreviewPlan {
  readonly create: readonly string[];
  readonly update: readonly { readonly name: string; readonly changes: readonly JsonChange[] }[];
  readonly delete: readonly string[];
  readonly unchanged: number;
  /** Present when the policy keeps Applications that are no longer generated. */
  readonly keep?: readonly string[];
  /** Present when the deletions exceed the deletion budget: the reconcile would write nothing. */
  readonly blockedDeletions?: { readonly names: readonly string[]; readonly limit: number };
}

export interface Preview {
  readonly applications: readonly PreviewApplication[];
  readonly warnings: readonly PreviewWarning[];
  readonly plan: PreviewPlan;
}

/** An Application the ApplicationSet of that name owns now. */
export interface OwnedApplication {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
  readonly manifest: Application;
}

export interface PreviewInput {
  readonly expansion: Expansion;
  /** Warnings of the document itself (ignored fields, patterns that never match). */
  readonly documentWarnings: readonly DocumentProblem[];
  /** The generated Applications with their problems, in expansion order. */
  readonly desired: readonly DesiredApplication[];
  readonly owned: readonly OwnedApplication[];
  readonly policy: ApplicationsSyncPolicy;
  readonly budget: DeletionBudget;
  /** Fingerprint of deletions an operator approved for the stored ApplicationSet. */
  readonly approvedDeletions: string | null;
}

/**
 * Builds the preview: every generated Application with its params and
 * problems (one bad Application never hides another, applicationset#356),
 * the warnings of the document and of the expansion, and the plan.
 */
export function buildPreview(input: PreviewInput): Preview {
  const { expansion, desired } = input;
  const plan = planApplications({
    desired,
    existing: input.owned,
    policy: input.policy,
    budget: input.budget,
    approvedDeletions: input.approvedDeletions,
  });
  const manifests = new Map(input.owned.map((o) => [o.name, o.manifest]));
  return {
    applications: expansion.applications.map(({ application, params }, i) => ({
      metadata: application.metadata,
      spec: application.spec,
      params,
      problems: desired[i].problems,
    })),
    warnings: [
      ...input.documentWarnings.map(({ field, rule, message, line }) => ({
        message,
        field,
        rule,
        ...(line === undefined ? {} : { line }),
      })),
      ...expansion.warnings,
    ],
    plan: {
      create: plan.create.map((d) => d.application.metadata.name),
      update: plan.update.map(({ desired: d }) => ({
        name: d.application.metadata.name,
        changes: jsonDiff(manifests.get(d.application.metadata.name), d.application),
      })),
      delete: plan.delete.map((e) => e.name),
      unchanged: plan.unchanged,
      ...(plan.keep.length > 0 && { keep: plan.keep.map((e) => e.name) }),
      ...(plan.blockedDeletions && {
        blockedDeletions: {
          names: plan.blockedDeletions.names,
          limit: plan.blockedDeletions.limit,
        },
      }),
    },
  };
}

/**
 * The reconciler's `desiredApplications` (validation problems, plus
 * `being-deleted` while an Application of that name is being deleted, or
 * `already-owned` when another ApplicationSet owns it), except that only
 * Applications that exist get a manifest hash: `planApplications` compares
 * hashes of existing names only, and hashing every manifest of a new
 * 10,000-Application set was the preview's largest cost. A spec pins the two
 * to the same problems and the same hashes where they matter; a rule added
 * there must be added here.
 */
export function previewDesiredApplications(
  currentId: string | null,
  apps: readonly Application[],
  clusters: readonly ClusterRecord[],
  ownership: ReadonlyMap<string, OwnershipFacts>,
  ownedNames: ReadonlySet<string>,
): DesiredApplication[] {
  const problems = validateGeneratedApplications(apps, clusters);
  return apps.map((application, i) => {
    const name = application.metadata.name;
    const conflict = ownershipProblem(name, ownership.get(name), currentId);
    return {
      application,
      problems: conflict ? [...problems[i], conflict] : problems[i],
      hash: ownedNames.has(name) ? manifestHash(application) : '',
    };
  });
}

function ownershipProblem(
  name: string,
  existing: OwnershipFacts | undefined,
  currentId: string | null,
): FieldProblem | undefined {
  if (existing?.deleting) {
    return {
      field: 'metadata.name',
      rule: BEING_DELETED,
      message: `an Application named "${name}" is being deleted (its resources are being removed); it is created again once that is done`,
    };
  }
  if (existing?.applicationSetId && existing.applicationSetId !== currentId) {
    return {
      field: 'metadata.name',
      rule: 'already-owned',
      message: `an Application named "${name}" belongs to another ApplicationSet`,
    };
  }
  return undefined;
}
