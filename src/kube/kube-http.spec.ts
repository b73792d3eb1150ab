import { PassThrough } from 'node:stream';
import { KubeApiError } from './kube-failure';
import { KubeAnswer, KubeExchange, streamLines } from './kube-http';

/** A streamed 200 answer the test writes to, and the exchange that "sent" it. */
function fakeWatch() {
  const body = new PassThrough();
  const answer = Object.assign(body, { statusCode: 200, headers: {} }) as KubeAnswer;
  const exchange: KubeExchange = {
    end: () => undefined,
    destroy: () => body.destroy(),
    on: () => exchange,
  };
  const start = (onResponse: (res: KubeAnswer) => void) => {
    setImmediate(() => onResponse(answer));
    return Promise.resolve(exchange);
  };
  return { body, start };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streamLines', () => {
  it('calls back once per line, across chunk boundaries, and resolves when the server ends', async () => {
    const { body, start } = fakeWatch();
    const lines: string[] = [];
    const done = streamLines(
      start,
      { what: 'watch' },
      (line) => lines.push(line),
      1_000,
      () => {},
    );
    await sleep(5);
    body.write('{"a":1}\n{"b"');
    body.write(':2}\n\n');
    body.end('{"c":3}');
    await done;
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('keeps a watch that receives bytes alive past the idle timeout, and times out a silent one', async () => {
    const { body, start } = fakeWatch();
    const lines: string[] = [];
    const done = streamLines(
      start,
      { what: 'watch Pod' },
      (line) => lines.push(line),
      1_000,
      () => {},
    );
    const outcome = done.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    // Five chunks 250 ms apart: past the 1 s idle limit in all, each well within it.
    for (let i = 0; i < 5; i++) {
      await sleep(250);
      body.write(`{"n":${i}}\n`);
    }
    expect(lines).toHaveLength(5);
    const error = await outcome;
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).failure).toEqual({
      kind: 'timeout',
      message: 'watch Pod: no answer within 1000 ms',
    });
  });
});
