import {
  hasMultipleSources,
  isReferenceOnly,
  joinRevisions,
  presentStatusRevisions,
  recordedSources,
  referenceProblems,
  sourceField,
  sourcesOf,
  splitRevision,
} from './application-sources';
import { ApplicationSource } from './application.types';
import { applicationWith } from './testing/application';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const chart: ApplicationSource = { repoURL: 'https://git.example/charts.git', path: 'web' };
const values: ApplicationSource = { repoURL: 'https://git.example/values.git', ref: 'values' };

describe(sourcesOf.name, () => {
  it('reads spec.sources when it has any, ignoring spec.source as Argo CD does', () => {
    const both = applicationWith({ source: chart, sources: [values, chart] });
    expect(hasMultipleSources(both)).toBe(true);
    expect(sourcesOf(both)).toEqual([values, chart]);
    expect(recordedSources(both)).toEqual({ sources: [values, chart] });
    expect(sourceField(both, 1)).toBe('spec.sources[1]');
  });

  it('falls back to spec.source when spec.sources is absent or empty', () => {
    for (const single of [
      applicationWith({ source: chart }),
      applicationWith({ source: chart, sources: [] }),
    ]) {
      expect(hasMultipleSources(single)).toBe(false);
      expect(sourcesOf(single)).toEqual([chart]);
      expect(recordedSources(single)).toEqual({ source: chart });
      expect(sourceField(single, 0)).toBe('spec.source');
    }
    expect(sourcesOf(applicationWith({}))).toEqual([]);
    expect(recordedSources(applicationWith({}))).toEqual({});
  });
});

describe(isReferenceOnly.name, () => {
  it.each([
    [{ repoURL: 'r', ref: 'values' }, true],
    [{ repoURL: 'r', ref: 'values', path: 'base' }, false],
    [{ repoURL: 'r', path: 'base' }, false],
    [{ repoURL: 'r' }, false],
  ])('%j → %s', (source, expected) => {
    expect(isReferenceOnly(source)).toBe(expected);
  });
});

describe(splitRevision.name, () => {
  it('gives back the commit of each source, in order', () => {
    expect(splitRevision(joinRevisions([A, B]), 2)).toEqual({ shas: [A, B] });
    expect(joinRevisions([A])).toBe(A);
  });

  it('refuses a revision that does not name one commit per source', () => {
    expect(splitRevision(A, 2)).toEqual({
      problem: {
        field: 'revision',
        rule: 'one-per-source',
        message: 'names 1 commit(s), but the Application has 2 source(s)',
      },
    });
  });
});

describe(referenceProblems.name, () => {
  it('accepts distinct ref names on Git sources', () => {
    expect(referenceProblems(applicationWith({ sources: [chart, values] }))).toEqual([]);
  });

  it('names bad, repeated and chart refs by field', () => {
    const problems = referenceProblems(
      applicationWith({
        sources: [
          { ...values, ref: 'bad/name' },
          values,
          values,
          { repoURL: 'https://charts.example', chart: 'web', ref: 'chart' },
        ],
      }),
    );
    expect(problems.map((p) => `${p.field} ${p.rule}`)).toEqual([
      'spec.sources[0].ref ref-name',
      'spec.sources[2].ref unique',
      'spec.sources[3].ref ref-chart',
    ]);
  });

  it('names a Helm value file whose $<ref> no source declares', () => {
    const problems = referenceProblems(
      applicationWith({
        sources: [
          { ...chart, helm: { valueFiles: ['values.yaml', '$values/a.yaml', '$vals/b.yaml'] } },
          values,
        ],
      }),
    );
    expect(problems).toEqual([
      {
        field: 'spec.sources[0].helm.valueFiles[2]',
        rule: 'ref',
        message: 'no source of the Application has ref "vals" (known: values)',
      },
    ]);
  });

  it('has nothing to say about a single-source Application', () => {
    expect(referenceProblems(applicationWith({ source: { ...chart, ref: 'x/y' } }))).toEqual([]);
  });

  it('accepts source names, repeated ones too (as Argo CD), and names an empty or non-text one', () => {
    expect(
      referenceProblems(
        applicationWith({
          sources: [
            { ...chart, name: 'chart' },
            { ...values, name: 'values' },
            { ...values, ref: undefined, name: 'values' },
          ],
        }),
      ),
    ).toEqual([]);
    const problems = referenceProblems(
      applicationWith({
        sources: [
          { ...chart, name: ' ' },
          { ...values, name: 7 as unknown as string },
        ],
      }),
    );
    expect(problems.map((p) => `${p.field} ${p.rule}`)).toEqual([
      'spec.sources[0].name type',
      'spec.sources[1].name type',
    ]);
  });
});

describe(presentStatusRevisions.name, () => {
  it("shows a multi-source Application's revisions as Argo's lists", () => {
    const status = {
      sync: { status: 'Synced', revision: `${A},${B}` },
      operationState: {
        phase: 'Succeeded',
        operation: { revision: `${A},${B}`, prune: false },
        syncResult: { revision: `${A},${B}`, resources: [] },
      },
      history: [
        { id: 0, revision: A, source: chart },
        { id: 1, revision: `${A},${B}`, sources: [chart, values] },
      ],
    };
    expect(presentStatusRevisions(applicationWith({ sources: [chart, values] }), status)).toEqual({
      sync: { status: 'Synced', revisions: [A, B] },
      operationState: {
        phase: 'Succeeded',
        operation: { revisions: [A, B], prune: false },
        syncResult: { revisions: [A, B], resources: [] },
      },
      history: [
        { id: 0, revision: A, source: chart },
        { id: 1, revisions: [A, B], sources: [chart, values] },
      ],
    });
  });

  it('leaves a single-source status as it is, and shows old multi-source history entries', () => {
    const status = { sync: { status: 'Synced', revision: A }, history: [{ id: 0, revision: A }] };
    expect(presentStatusRevisions(applicationWith({ source: chart }), status)).toBe(status);
    expect(
      presentStatusRevisions(applicationWith({ source: chart }), {
        sync: { status: 'Synced', revision: A },
        history: [{ id: 0, revision: `${A},${B}`, sources: [chart, values] }],
      }),
    ).toEqual({
      sync: { status: 'Synced', revision: A },
      history: [{ id: 0, revisions: [A, B], sources: [chart, values] }],
    });
  });
});
