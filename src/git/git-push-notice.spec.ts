import { pushNotice, readPushNotice } from './git-push-notice';

describe('git push notices', () => {
  it('carry the mirror keys of the pushed repositories, read back as sent', () => {
    const keys = ['https://github.com/org/fleet', 'https://gitlab.com/org/apps'];
    expect(readPushNotice(pushNotice(keys))).toEqual(keys);
  });

  it('name a repository once, and only as many as fit a NOTIFY payload', () => {
    expect(readPushNotice(pushNotice(['a', 'a', 'b']))).toEqual(['a', 'b']);
    const many = Array.from({ length: 500 }, (_, i) => `https://github.com/org/repository-${i}`);
    const notice = pushNotice(many);
    expect(Buffer.byteLength(notice)).toBeLessThan(8_000);
    expect(readPushNotice(notice)).toEqual(many.slice(0, readPushNotice(notice).length));
  });

  it.each([undefined, '', 'not json', '{"a":1}', '[1, null]'])(
    'ignore a payload that is not a notice: %j',
    (payload) => {
      expect(readPushNotice(payload)).toEqual([]);
    },
  );
});
