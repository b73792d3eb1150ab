import { joinRepoPath, normalizeSourcePath } from './source-path';

describe(normalizeSourcePath.name, () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['.', ''],
    ['/', ''],
    ['./apps/web/', 'apps/web'],
    ['apps//web', 'apps/web'],
    ['apps/./web', 'apps/web'],
  ])('%p → %p', (raw, expected) => {
    expect(normalizeSourcePath(raw)).toEqual({ path: expected });
  });

  it.each(['../other', 'apps/../../x', '/etc'])('refuses %p', (raw) => {
    expect(normalizeSourcePath(raw)).toEqual({
      problem: expect.objectContaining({ field: 'spec.source.path', rule: 'relative-path' }),
    });
  });

  it('joins below the root', () => {
    expect(joinRepoPath('', 'a.yaml')).toBe('a.yaml');
    expect(joinRepoPath('apps', 'a.yaml')).toBe('apps/a.yaml');
  });
});
