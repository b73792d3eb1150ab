import { NextRunInput, nextRun, setsRequeue } from './next-run';

const NOW = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

describe(nextRun.name, () => {
  const base: NextRunInput = {
    gitRepos: ['https://git.example.com/a'],
    generators: [{ git: { repoURL: 'https://git.example.com/a', directories: [] } }] as never,
    requeueAfterSeconds: 180,
    waitingForDeletion: false,
    now: NOW,
  };
  const noJitter = () => 0.5;

  it.each<[string, Partial<NextRunInput>, Date | null]>([
    ['a Git generator the poller watches: no timer', {}, null],
    ['an interpolated repository: the generator requeue', { gitRepos: ['*'] }, at(180_000)],
    [
      'a requeue set by the ApplicationSet: that requeue',
      {
        generators: [{ git: { repoURL: 'x', requeueAfterSeconds: 30 } }] as never,
        requeueAfterSeconds: 30,
      },
      at(30_000),
    ],
    ['a name waiting for a deletion: 10 s', { waitingForDeletion: true }, at(10_000)],
    [
      'both: the earlier',
      { waitingForDeletion: true, gitRepos: ['*'], requeueAfterSeconds: 5 },
      at(5_000),
    ],
    ['no requeue at all', { gitRepos: ['*'], requeueAfterSeconds: null }, null],
  ])('%s', (_what, input, expected) => {
    expect(nextRun({ ...base, ...input }, noJitter)).toEqual(expected);
  });
});

describe(setsRequeue.name, () => {
  it.each<[string, unknown, boolean]>([
    ['no generator sets it', [{ git: { repoURL: 'x' } }], false],
    ['a Git generator sets it', [{ git: { repoURL: 'x', requeueAfterSeconds: 30 } }], true],
    [
      'a matrix child sets it',
      [{ matrix: { generators: [{ list: {} }, { git: { requeueAfterSeconds: 0 } }] } }],
      true,
    ],
    [
      'only a template mentions the word',
      [{ list: { template: { requeueAfterSeconds: 1 } } }],
      false,
    ],
  ])('%s → %p', (_what, generators, expected) => expect(setsRequeue(generators)).toBe(expected));
});
