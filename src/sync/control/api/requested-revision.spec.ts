import { ApplicationSource } from '../../../argo/application.types';
import { applicationWith } from '../../../argo/testing/application';
import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import { SourceResolver, requestedRevision } from './requested-revision';

const chart: ApplicationSource = {
  repoURL: 'https://git.example/chart.git',
  targetRevision: 'main',
};
const values: ApplicationSource = { repoURL: 'https://git.example/values.git', ref: 'values' };

/** Resolves to `<repo name>@<revision>`, recording what was asked. */
function resolver(): { resolve: SourceResolver; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolve: async (source, given) => {
      const name = source.repoURL.replace(/^.*\/|\.git$/g, '');
      asked.push(`${name} ${given ? `${given.revision} (${given.field})` : 'target'}`);
      return `${name}@${given?.revision ?? source.targetRevision ?? 'HEAD'}`;
    },
  };
}

async function problemOf(run: Promise<unknown>): Promise<string> {
  const error = (await run.catch((e: unknown) => e)) as DomainError;
  return `${error.code} ${error.details.map((d) => `${d.field}:${d.rule}`).join(',')}`;
}

describe(requestedRevision.name, () => {
  it('resolves the revision of a single source, or nothing for the target at run time', async () => {
    const { resolve, asked } = resolver();
    expect(
      await requestedRevision(applicationWith({ source: chart }), { revision: 'v2' }, resolve),
    ).toBe('chart@v2');
    expect(
      await requestedRevision(applicationWith({ source: chart }), {}, resolve),
    ).toBeUndefined();
    expect(asked).toEqual(['chart v2 (revision)']);
  });

  it('resolves given positions and the other sources at their target, in source order', async () => {
    const { resolve, asked } = resolver();
    const revision = await requestedRevision(
      applicationWith({ sources: [chart, values] }),
      { revisions: [{ position: 2, revision: 'v1' }] },
      resolve,
    );
    expect(revision).toBe('chart@main,values@v1');
    expect(asked).toEqual(['chart target', 'values v1 (revisions[0])']);
  });

  it('picks sources by name, as Argo CD sourceNames', async () => {
    const { resolve, asked } = resolver();
    const revision = await requestedRevision(
      applicationWith({
        sources: [
          { ...chart, name: 'chart' },
          { ...values, name: 'values' },
        ],
      }),
      { revisions: [{ name: 'values', revision: 'v1' }] },
      resolve,
    );
    expect(revision).toBe('chart@main,values@v1');
    expect(asked).toEqual(['chart target', 'values v1 (revisions[0])']);
  });

  it('refuses a name no source has, or several have, naming the field', async () => {
    const { resolve, asked } = resolver();
    const app = applicationWith({
      sources: [
        { ...chart, name: 'shared' },
        { ...values, name: 'shared' },
      ],
    });
    const error = (await requestedRevision(
      app,
      {
        revisions: [
          { name: 'nothing', revision: 'v1' },
          { name: 'shared', revision: 'v2' },
        ],
      },
      resolve,
    ).catch((e: unknown) => e)) as DomainError;
    expect(error.details).toEqual([
      {
        field: 'sourceNames[0]',
        rule: 'source-name',
        message: 'no source of spec.sources is named "nothing" (names: "shared")',
      },
      {
        field: 'sourceNames[1]',
        rule: 'source-name',
        message: '2 sources are named "shared" (positions 1, 2): give sourcePositions',
      },
    ]);
    expect(
      await problemOf(
        requestedRevision(
          applicationWith({ sources: [chart, values] }),
          { revisions: [{ name: 'chart', revision: 'v1' }] },
          resolve,
        ),
      ),
    ).toBe(`${DomainErrorCode.Invalid} sourceNames[0]:source-name`);
    expect(asked).toEqual([]);
  });

  it('refuses a request that does not fit the sources, naming the field', async () => {
    const { resolve, asked } = resolver();
    expect(
      await problemOf(
        requestedRevision(
          applicationWith({ sources: [chart, values] }),
          { revision: 'v1' },
          resolve,
        ),
      ),
    ).toBe(`${DomainErrorCode.Invalid} revision:multiple-sources`);
    expect(
      await problemOf(
        requestedRevision(
          applicationWith({ source: chart }),
          { revisions: [{ position: 1, revision: 'v1' }] },
          resolve,
        ),
      ),
    ).toBe(`${DomainErrorCode.Invalid} revisions:multiple-sources`);
    expect(
      await problemOf(
        requestedRevision(
          applicationWith({ sources: [chart, values] }),
          {
            revisions: [
              { position: 1, revision: 'v1' },
              { position: 3, revision: 'v3' },
            ],
          },
          resolve,
        ),
      ),
    ).toBe(`${DomainErrorCode.Invalid} revisions[1]:source-position`);
    expect(
      await problemOf(requestedRevision(applicationWith({}), { revision: 'v1' }, resolve)),
    ).toBe(`${DomainErrorCode.Conflict} `);
    expect(asked).toEqual([]);
  });
});
