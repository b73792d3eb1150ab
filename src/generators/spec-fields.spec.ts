import { Generator as GeneratorEntry } from '../argo/applicationset.types';
import { DomainErrorCode } from '../common/domain-error';
import { generateParams, rejectionOf } from './testing/generate-params';
import { InMemoryGitReader } from './testing/in-memory-ports';

const git = new InMemoryGitReader({ r: { HEAD: { sha: 's', files: { 'a/f': '' } } } });

describe('malformed generator specs fail with the field, never a crash', () => {
  it.each<[string, unknown, string]>([
    ['a kind that is not a map', { clusters: 'all' }, 'spec.generators[0].clusters: must be a map'],
    [
      'elements that is not a list',
      { list: { elements: 'abc' } },
      'spec.generators[0].list.elements: must be a list',
    ],
    [
      'elementsYaml that is not a string',
      { list: { elementsYaml: 3 } },
      'spec.generators[0].list.elementsYaml: must be a string',
    ],
    [
      'cluster values that is a string',
      { clusters: { values: 'abc' } },
      'spec.generators[0].clusters.values: must be a map',
    ],
    [
      'a git directories string',
      { git: { repoURL: 'r', directories: 'a/*' } },
      'spec.generators[0].git.directories: must be a list',
    ],
    [
      'a git entry without path',
      { git: { repoURL: 'r', files: [{ exclude: true }] } },
      'spec.generators[0].git.files[0].path: must be a path pattern',
    ],
    [
      'a git spec without repoURL',
      { git: { directories: [{ path: '*' }] } },
      'spec.generators[0].git.repoURL: must be a repository URL',
    ],
    [
      'a numeric pathParamPrefix',
      { git: { repoURL: 'r', directories: [{ path: '*' }], pathParamPrefix: 1 } },
      'spec.generators[0].git.pathParamPrefix: must be a string',
    ],
    [
      'a non-string value',
      { git: { repoURL: 'r', directories: [{ path: '*' }], values: { a: 1 } } },
      'spec.generators[0].git.values.a: must be a string',
    ],
    [
      'matrix generators as a string',
      { matrix: { generators: 'ab' } },
      'spec.generators[0].matrix.generators: must be a list',
    ],
    [
      'mergeKeys as a string',
      {
        merge: {
          mergeKeys: 'k',
          generators: [{ list: { elements: [] } }, { list: { elements: [] } }],
        },
      },
      'spec.generators[0].merge.mergeKeys: must be a list',
    ],
  ])('%s', async (_name, entry, message) => {
    const error = await rejectionOf(generateParams(entry as GeneratorEntry, { git }));
    expect(error).toMatchObject({ code: DomainErrorCode.Invalid, message, generatorIndex: 0 });
  });
});
