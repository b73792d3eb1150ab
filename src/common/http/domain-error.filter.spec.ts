import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { DomainError } from '../domain-error';
import { DomainErrorFilter } from './domain-error.filter';

/** What the filter answers for `exception`: status and JSON body. */
function answer(exception: unknown): { status: number; body: Record<string, unknown> } {
  const sent = { status: 0, body: {} as Record<string, unknown> };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as ArgumentsHost;
  new DomainErrorFilter().catch(exception, host);
  return sent;
}

describe(DomainErrorFilter.name, () => {
  it('answers a domain error with its status and problems', () => {
    const { status, body } = answer(
      DomainError.invalid([{ field: 'labels.env', rule: 'label-value', message: 'too long' }]),
    );
    expect(status).toBe(422);
    expect(body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'Invalid',
      message: 'labels.env: too long',
      details: [{ field: 'labels.env', rule: 'label-value', message: 'too long' }],
    });
  });

  it("answers Nest's own HTTP exceptions with their status", () => {
    expect(answer(new NotFoundException('no route')).body).toMatchObject({
      statusCode: 404,
      code: 'NotFound',
      message: 'no route',
    });
  });

  it.each(['22021', '22P05'])(
    "answers PostgreSQL's refusal of a NUL character (%s) as the caller's 400, not a 500",
    (code) => {
      const refusal = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
        code,
      });
      expect(answer(refusal)).toEqual({
        status: 400,
        body: {
          statusCode: 400,
          error: 'Bad Request',
          code: 'BadRequest',
          message: 'the request holds the NUL character (U+0000), which PostgreSQL cannot store',
          details: [],
        },
      });
    },
  );

  it('answers anything else with a 500 that leaks nothing', () => {
    const { status, body } = answer(new Error('connection string postgres://u:secret@db'));
    expect(status).toBe(500);
    expect(body.message).toBe('internal error; see the server log');
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
