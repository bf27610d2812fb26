import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { DatabaseUnavailableError, PoolExhaustedError } from '../database/database.errors';
import { QueueUnavailableError } from '../queue/queue.errors';
import type { ApiErrorBody } from './api-error';

const PG_ERRORS: Record<string, { status: number; code: string; text: string }> = {
  '23505': {
    status: 409,
    code: 'CONFLICT_DUPLICATE',
    text: 'a record with the same values already exists',
  },
  '23503': {
    status: 409,
    code: 'CONFLICT_REFERENCE',
    text: 'the record refers to, or is referred to by, another record',
  },
  '23514': {
    status: 400,
    code: 'VALIDATION_CHECK',
    text: 'a value breaks a rule of the data model',
  },
  '23502': { status: 400, code: 'VALIDATION_REQUIRED', text: 'a required value is missing' },
  '22P02': { status: 400, code: 'VALIDATION_FORMAT', text: 'a value has the wrong format' },
  '22001': { status: 400, code: 'VALIDATION_TOO_LONG', text: 'a value is too long' },
  '40001': { status: 409, code: 'CONFLICT_RETRY', text: 'a concurrent change conflicted; retry' },
  '40P01': { status: 409, code: 'CONFLICT_RETRY', text: 'a concurrent change conflicted; retry' },
  '57014': {
    status: 503,
    code: 'DB_STATEMENT_TIMEOUT',
    text: 'the database took too long to answer',
  },
};

/** Errors that mean "not now": 503, a Retry-After (seconds) and the error's own code. */
const UNAVAILABLE: [abstract new (...args: never[]) => Error & { code: string }, string, string][] =
  [
    [
      PoolExhaustedError,
      '1',
      'The service is busy: no database connection was free in time. Retry shortly.',
    ],
    [DatabaseUnavailableError, '5', 'The database is unavailable. Retry shortly.'],
    [
      QueueUnavailableError,
      '5',
      'The queue figures are unavailable: Redis did not answer. Retry shortly.',
    ],
  ];

/**
 * Every error leaves as { statusCode, code, message, parameter? }. Database
 * constraint errors become 4xx naming the field (never the constraint); pool exhaustion and an
 * unreachable database or Redis become 503 with Retry-After; anything unknown is logged and answered as 500 without
 * internals.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, reply);
    if (body.statusCode >= 500 && body.code === 'INTERNAL') {
      this.logger.error(
        `${request.method} ${request.url}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
      );
    }
    void reply.status(body.statusCode).send(body);
  }

  private toBody(e: unknown, reply: FastifyReply): ApiErrorBody {
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const retryAfter = (e as { retryAfter?: unknown }).retryAfter;
      if (typeof retryAfter === 'number') void reply.header('Retry-After', String(retryAfter));
      const res = e.getResponse();
      if (typeof res === 'object' && res !== null && 'code' in res) return res as ApiErrorBody;
      const message = typeof res === 'string' ? res : messageOf(res, e.message);
      // Without a code: Nest's 404 for no route, or a Fastify error Nest wrapped
      // (mapExternalException keeps only its message and status).
      return httpLayerError(status, message);
    }
    for (const [type, retryAfter, message] of UNAVAILABLE) {
      if (e instanceof type) {
        void reply.header('Retry-After', retryAfter);
        return { statusCode: 503, code: e.code, message };
      }
    }
    const pg = e as {
      code?: unknown;
      constraint?: unknown;
      column?: unknown;
      table?: unknown;
      message?: unknown;
    };
    if (
      pg.code === '23503' &&
      typeof pg.constraint === 'string' &&
      String(pg.message).startsWith('update or delete')
    ) {
      // The record being deleted (or re-keyed) is still referred to: name who refers to it.
      const table = typeof pg.table === 'string' ? pg.table.replace(/_/g, ' ') : 'other records';
      return {
        statusCode: 409,
        code: 'CONFLICT_REFERENCE',
        message: `id: the record is still referred to by ${table}; change or delete those first`,
        parameter: 'id',
      };
    }
    if (
      pg.code === '23503' &&
      typeof pg.constraint === 'string' &&
      String(pg.message).startsWith('insert or update')
    ) {
      // A reference to a row that does not exist (in this organization): the request is wrong.
      const field = CONSTRAINTS[pg.constraint]?.field ?? constraintField(pg.constraint);
      return {
        statusCode: 400,
        code: 'VALIDATION_REFERENCE',
        message: `${field ?? 'a reference'}: refers to a record that does not exist in this organization`,
        ...(field ? { parameter: field } : {}),
      };
    }
    if (typeof pg.code === 'string' && PG_ERRORS[pg.code]) {
      const m = PG_ERRORS[pg.code];
      if (m.status === 503) void reply.header('Retry-After', '2');
      const constraint = typeof pg.constraint === 'string' ? pg.constraint : undefined;
      const column = typeof pg.column === 'string' ? pg.column : undefined;
      const known = constraint ? CONSTRAINTS[constraint] : undefined;
      const parameter =
        known?.field ?? (column ? camel(column) : undefined) ?? constraintField(constraint);
      const body: ApiErrorBody = {
        statusCode: m.status,
        code: m.code,
        message: `${parameter ? `${parameter}: ` : ''}${known?.words ?? m.text}`,
      };
      if (parameter) body.parameter = parameter;
      return body;
    }
    if (typeof (e as { statusCode?: unknown }).statusCode === 'number') {
      // Errors with a status of their own that Nest passes on as they are
      // (the JSON parser's SyntaxError, a body parser's FST_ERR_CTP_* error).
      const fe = e as { statusCode: number; code?: unknown; message?: unknown; name?: unknown };
      if (fe.statusCode >= 400 && fe.statusCode < 500) {
        const known = typeof fe.code === 'string' ? FASTIFY_CODES[fe.code] : undefined;
        if (known) return { statusCode: fe.statusCode, ...known };
        if (fe.statusCode === 400 && (fe.name === 'SyntaxError' || /JSON/.test(String(fe.message))))
          return { statusCode: 400, ...INVALID_JSON };
        return httpLayerError(fe.statusCode, typeof fe.message === 'string' ? fe.message : '');
      }
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error' };
  }
}

/**
 * Constraints whose violation a request field causes: the field's API name and,
 * for the ones a user meets, what happened in words (no database names in answers).
 */
const CONSTRAINTS: Record<string, { field: string; words?: string }> = {
  documents_folder_fk: { field: 'folderId' },
  documents_type_fk: { field: 'documentTypeId' },
  documents_mail_fk: { field: 'mailId' },
  documents_batch_fk: { field: 'batchId' },
  mails_folder_fk: { field: 'folderId' },
  mails_batch_fk: { field: 'batchId' },
  mails_assigned_to_fk: { field: 'userId' },
  folders_parent_fk: { field: 'parentId' },
  folders_sibling_name_key: {
    field: 'name',
    words: 'a folder of this name is already in the same parent folder',
  },
  document_types_org_name_key: {
    field: 'name',
    words: 'a document type of this name already exists in the organization',
  },
  roles_org_name_key: {
    field: 'name',
    words: 'a role of this name already exists in the organization',
  },
  users_email_key: { field: 'email', words: 'a user with this email already exists' },
  organizations_slug_key: { field: 'slug', words: 'an organization with this slug already exists' },
  folders_organization_id_fkey: { field: 'organizationId' },
  document_types_organization_id_fkey: { field: 'organizationId' },
  user_roles_pkey: { field: 'roleId', words: 'the user holds this role already' },
  mails_organization_id_fkey: { field: 'organizationId' },
  batches_organization_id_fkey: { field: 'organizationId' },
  documents_organization_id_fkey: { field: 'organizationId' },
};

/** folder_id → folderId: the API's name of a column. */
const camel = (column: string) =>
  column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** users_email_key → email: constraint names follow <table>_<columns>_<kind>. */
function constraintField(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const m = /^[a-z]+_(.+)_(key|fk|check)$/.exec(constraint);
  return m ? camel(m[1]) : undefined;
}

const INVALID_JSON = {
  code: 'BODY_INVALID_JSON',
  message: 'body: not valid JSON (or empty while Content-Type says application/json)',
  parameter: 'body',
};
const UNSUPPORTED_MEDIA_TYPE = {
  code: 'UNSUPPORTED_MEDIA_TYPE',
  message: 'content-type: request bodies take application/json only',
  parameter: 'content-type',
};
const PAYLOAD_TOO_LARGE = {
  code: 'PAYLOAD_TOO_LARGE',
  message: 'body: larger than this route takes',
  parameter: 'body',
};

/** Fastify's request errors by their code, in our terms. */
const FASTIFY_CODES: Record<string, { code: string; message: string; parameter?: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: UNSUPPORTED_MEDIA_TYPE,
  FST_ERR_CTP_BODY_TOO_LARGE: PAYLOAD_TOO_LARGE,
  FST_ERR_CTP_EMPTY_JSON_BODY: INVALID_JSON,
  FST_ERR_CTP_INVALID_JSON_BODY: INVALID_JSON,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'BODY_LENGTH_MISMATCH',
    message: 'body: its size does not match Content-Length',
    parameter: 'body',
  },
  FST_ERR_BAD_URL: { code: 'INVALID_URL', message: 'url: not a valid URL component' },
};

/**
 * A code-less error of the HTTP layer in the standard shape. Fastify's errors
 * reach the filter wrapped by Nest as a plain HttpException (message and
 * status only), so they are recognized by status and Fastify's message.
 */
function httpLayerError(status: number, message: string): ApiErrorBody {
  if (status === 415) return { statusCode: 415, ...UNSUPPORTED_MEDIA_TYPE };
  if (status === 413) return { statusCode: 413, ...PAYLOAD_TOO_LARGE };
  if (status === 404 && message.startsWith('Cannot ')) {
    // Nest's not-found handler: "Cannot GET /api/nope".
    return {
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      message: `${message.slice(7)}: no such route`,
    };
  }
  if (status === 400) {
    if (/JSON|Body cannot be empty/.test(message)) return { statusCode: 400, ...INVALID_JSON };
    if (message === 'Request body size did not match Content-Length')
      return { statusCode: 400, ...FASTIFY_CODES.FST_ERR_CTP_INVALID_CONTENT_LENGTH };
    if (message.endsWith('is not a valid url component'))
      return { statusCode: 400, ...FASTIFY_CODES.FST_ERR_BAD_URL };
  }
  return {
    statusCode: status,
    code: httpCode(status),
    message: message || (STATUS_CODES[status] ?? 'Error'),
  };
}

function httpCode(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_ALLOWED';
    case 408:
      return 'REQUEST_TIMEOUT';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 414:
      return 'URI_TOO_LONG';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    case 431:
      return 'REQUEST_HEADERS_TOO_LARGE';
    default:
      return status >= 500 ? 'INTERNAL' : 'HTTP_ERROR';
  }
}

function messageOf(res: object, fallback: string): string {
  const m = (res as { message?: unknown }).message;
  if (typeof m === 'string') return m;
  if (Array.isArray(m)) return m.map(String).join('; ');
  return fallback;
}
