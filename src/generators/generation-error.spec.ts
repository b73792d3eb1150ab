import { redactUrlCredentials } from './generation-error';

describe('redactUrlCredentials', () => {
  it.each<[string, string]>([
    ['https://user:token@git.example/x.git failed', 'https://***@git.example/x.git failed'],
    ['ssh://git@host/x and https://t@h/y', 'ssh://***@host/x and https://***@h/y'],
    ['git@github.com:org/x.git', 'git@github.com:org/x.git'],
  ])('%j', (text, expected) => {
    expect(redactUrlCredentials(text)).toBe(expected);
  });
});
