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

  it.each([
    ['a NUL in text', '22021', undefined],
    ['a NUL in jsonb', '22P05', undefined],
    ['a lone surrogate in jsonb', '22P02', 'Unicode low surrogate must follow a high surrogate.'],
  ])("answers PostgreSQL's refusal of %s as the caller's 400, not a 500", (_, code, detail) => {
    const refusal = Object.assign(new Error('refused'), { code, detail });
    expect(answer(refusal)).toEqual({
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        code: 'BadRequest',
        message:
          'the request holds text PostgreSQL cannot store (a NUL character, or half of a UTF-16 surrogate pair)',
        details: [],
      },
    });
  });

  it('answers other invalid input syntax (22P02) as the server fault it is', () => {
    const refusal = Object.assign(new Error('invalid input syntax for type uuid'), {
      code: '22P02',
    });
    expect(answer(refusal).status).toBe(500);
  });

  it('answers anything else with a 500 that leaks nothing', () => {
    const { status, body } = answer(new Error('connection string postgres://u:secret@db'));
    expect(status).toBe(500);
    expect(body.message).toBe('internal error; see the server log');
    expect(JSON.stringify(body)).not.toContain('secret');
  });
});
