import type { ArgumentsHost } from '@nestjs/common';
import { HttpException, NotFoundException } from '@nestjs/common';
import { QueueUnavailableError } from '../queue/queue.errors';
import { AllExceptionsFilter } from './all-exceptions.filter';
import type { ApiErrorBody } from './api-error';

/** What the filter answers to an error, as the client would see it. */
function answer(e: unknown): ApiErrorBody {
  let sent: ApiErrorBody | undefined;
  const reply = {
    status: () => reply,
    header: () => reply,
    send: (body: ApiErrorBody) => {
      sent = body;
      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({
      getResponse: () => reply,
      getRequest: () => ({ method: 'DELETE', url: '/x' }),
    }),
  } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(e, host);
  if (!sent) throw new Error('nothing sent');
  return sent;
}

function pgError(fields: Record<string, string>): Error {
  return Object.assign(new Error(fields.message), fields);
}

describe('AllExceptionsFilter: database constraint errors', () => {
  it('answers a delete still referred to with 409 naming who refers to it', () => {
    const body = answer(
      pgError({
        code: '23503',
        constraint: 'documents_type_fk',
        table: 'documents',
        message:
          'update or delete on table "document_types" violates foreign key constraint "documents_type_fk" on table "documents"',
      }),
    );
    expect(body).toEqual({
      statusCode: 409,
      code: 'CONFLICT_REFERENCE',
      parameter: 'id',
      message: 'id: the record is still referred to by documents; change or delete those first',
    });
  });

  it('names the field of a duplicate and says in words what clashed, never the constraint', () => {
    expect(answer(pgError({ code: '23505', constraint: 'folders_sibling_name_key' }))).toEqual({
      statusCode: 409,
      code: 'CONFLICT_DUPLICATE',
      parameter: 'name',
      message: 'name: a folder of this name is already in the same parent folder',
    });
    // A constraint without words of its own: the field, and the general words.
    expect(answer(pgError({ code: '23505', constraint: 'widgets_serial_no_key' }))).toEqual({
      statusCode: 409,
      code: 'CONFLICT_DUPLICATE',
      parameter: 'serialNo',
      message: 'serialNo: a record with the same values already exists',
    });
  });

  it('names a missing column by its API name', () => {
    expect(answer(pgError({ code: '23502', column: 'is_org_admin' }))).toEqual({
      statusCode: 400,
      code: 'VALIDATION_REQUIRED',
      parameter: 'isOrgAdmin',
      message: 'isOrgAdmin: a required value is missing',
    });
  });

  it('answers a reference to a missing organization with 400 naming organizationId', () => {
    const body = answer(
      pgError({
        code: '23503',
        constraint: 'document_types_organization_id_fkey',
        table: 'document_types',
        message:
          'insert or update on table "document_types" violates foreign key constraint "document_types_organization_id_fkey"',
      }),
    );
    expect(body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_REFERENCE',
      parameter: 'organizationId',
    });
  });
});

describe('AllExceptionsFilter: unavailable dependencies', () => {
  it('answers queue figures that Redis could not give with 503 QUEUE_UNAVAILABLE', () => {
    expect(answer(new QueueUnavailableError(new Error('Redis is not connected')))).toEqual({
      statusCode: 503,
      code: 'QUEUE_UNAVAILABLE',
      message: 'The queue figures are unavailable: Redis did not answer. Retry shortly.',
    });
  });
});

describe('AllExceptionsFilter: errors of the HTTP layer', () => {
  /** A Fastify error as Nest's mapExternalException hands it on: message and status only. */
  const wrapped = (message: string, status: number) => new HttpException(message, status);
  const fastifyError = (code: string, statusCode: number, message: string) =>
    Object.assign(new Error(message), { code, statusCode, name: 'FastifyError' });

  it.each([
    [
      'Fastify 415 (wrapped by Nest)',
      wrapped('Unsupported Media Type', 415),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'content-type',
    ],
    [
      'Fastify 413 (wrapped)',
      wrapped('Request body is too large', 413),
      413,
      'PAYLOAD_TOO_LARGE',
      'body',
    ],
    [
      'empty JSON body (wrapped)',

      wrapped("Body cannot be empty when content-type is set to 'application/json'", 400),
      400,
      'BODY_INVALID_JSON',
      'body',
    ],
    [
      'a JSON SyntaxError',

      Object.assign(new SyntaxError('Unexpected end of JSON input'), { statusCode: 400 }),
      400,
      'BODY_INVALID_JSON',
      'body',
    ],
    [
      'FST_ERR_CTP_INVALID_JSON_BODY',

      fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Body is not valid JSON'),
      400,
      'BODY_INVALID_JSON',
      'body',
    ],
    [
      'FST_ERR_CTP_BODY_TOO_LARGE',

      fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'),
      413,
      'PAYLOAD_TOO_LARGE',
      'body',
    ],
    [
      'the 404 of Nest for no route',
      new NotFoundException('Cannot GET /api/nope'),
      404,
      'ROUTE_NOT_FOUND',
      undefined,
    ],
    ['a code-less 405', wrapped('Method Not Allowed', 405), 405, 'METHOD_NOT_ALLOWED', undefined],
  ])('answers %s in the standard shape', (_label, e, status, code, parameter) => {
    const body = answer(e);
    expect(body).toEqual({
      statusCode: status,
      code,
      message: expect.any(String),
      ...(parameter ? { parameter } : {}),
    });
  });
});
