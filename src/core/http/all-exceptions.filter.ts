import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * constraint errors become 4xx naming the constraint; pool exhaustion and an
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
      return { statusCode: status, code: httpCode(status), message };
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
        message: `id: the record is still referred to by ${table} (${pg.constraint}); change or delete those first`,
        parameter: 'id',
      };
    }
    if (
      pg.code === '23503' &&
      typeof pg.constraint === 'string' &&
      String(pg.message).startsWith('insert or update')
    ) {
      // A reference to a row that does not exist (in this organization): the request is wrong.
      const field = CONSTRAINT_FIELDS[pg.constraint] ?? constraintField(pg.constraint);
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
      const detail = constraint ? ` (${constraint})` : column ? ` (${column})` : '';
      const body: ApiErrorBody = {
        statusCode: m.status,
        code: m.code,
        message: `${m.text}${detail}`,
      };
      const parameter =
        (constraint && CONSTRAINT_FIELDS[constraint]) ?? column ?? constraintField(constraint);
      if (parameter) body.parameter = parameter;
      return body;
    }
    if (typeof (e as { statusCode?: unknown }).statusCode === 'number') {
      // Fastify's own errors (body too large, bad JSON, unsupported media type).
      const fe = e as { statusCode: number; code?: string; message?: string };
      if (fe.statusCode >= 400 && fe.statusCode < 500) {
        return {
          statusCode: fe.statusCode,
          code: fe.code ?? httpCode(fe.statusCode),
          message: fe.message ?? 'Bad request',
          parameter: 'body',
        };
      }
    }
    return { statusCode: 500, code: 'INTERNAL', message: 'Internal server error' };
  }
}

/** Constraints whose violation a request field causes, by the field's API name. */
const CONSTRAINT_FIELDS: Record<string, string> = {
  documents_folder_fk: 'folderId',
  documents_type_fk: 'documentTypeId',
  documents_mail_fk: 'mailId',
  documents_batch_fk: 'batchId',
  mails_folder_fk: 'folderId',
  mails_batch_fk: 'batchId',
  mails_assigned_to_fk: 'userId',
  folders_parent_fk: 'parentId',
  folders_sibling_name_key: 'name',
  document_types_org_name_key: 'name',
  roles_org_name_key: 'name',
  users_email_key: 'email',
  organizations_slug_key: 'slug',
  folders_organization_id_fkey: 'organizationId',
  document_types_organization_id_fkey: 'organizationId',
  user_roles_pkey: 'roleId',
  mails_organization_id_fkey: 'organizationId',
  batches_organization_id_fkey: 'organizationId',
  documents_organization_id_fkey: 'organizationId',
};

/** users_email_key → email: constraint names follow <table>_<columns>_<kind>. */
function constraintField(constraint: string | undefined): string | undefined {
  if (!constraint) return undefined;
  const m = /^[a-z]+_(.+)_(key|fk|check)$/.exec(constraint);
  return m ? m[1] : undefined;
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
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'TOO_MANY_REQUESTS';
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
