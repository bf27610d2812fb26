import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from './api-error';
import type { ApiErrorBody } from './api-error';

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * JSON routes take application/json only: Fastify also parses text/plain (to
 * a string), which would otherwise reach validation as a wrong body. Any
 * other unknown type Fastify refuses itself (FST_ERR_CTP_INVALID_MEDIA_TYPE).
 */
export function acceptJsonBodiesOnly(instance: FastifyInstance): void {
  instance.addHook('preValidation', (request, _reply, done) => {
    if (
      request.body !== undefined &&
      mediaType(request.headers['content-type']) !== 'application/json'
    ) {
      done(
        new ApiError(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          'content-type: request bodies take application/json only',
          'content-type',
        ),
      );
      return;
    }
    done();
  });
}

/** Socket errors Node answers before any request exists (no hook or filter sees them). */
const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST_HEADERS_TOO_LARGE',
    message:
      'The request line and headers exceed 16 KB (a URL that long: send fewer or shorter parameters)',
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: 'REQUEST_TIMEOUT',
    message: 'The request did not arrive in time',
  },
};
const MALFORMED = {
  status: 400,
  code: 'MALFORMED_REQUEST',
  message: 'The request is not valid HTTP',
};

/**
 * Fastify's clientErrorHandler: Node's parser refuses a request (headers over
 * maxHeaderSize → 431, a timeout → 408, bad HTTP → 400) before Fastify or
 * Nest see it, so the answer is written to the socket here, in the standard
 * error shape, and the connection closed (as Node and Fastify do).
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e = (err.code && CLIENT_ERRORS[err.code]) || MALFORMED;
  const body: ApiErrorBody = { statusCode: e.status, code: e.code, message: e.message };
  const json = JSON.stringify(body);
  if (socket.writable && socket.bytesWritten === 0) {
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status] ?? ''}\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        json,
    );
  }
  socket.destroy(err);
}

/**
 * Fastify's frameworkErrors: errors of its router, before any hook or Nest
 * filter runs (a path that does not decode, a path parameter over
 * maxParamLength), in the standard error shape instead of Fastify's own.
 */
export function frameworkErrors(
  err: FastifyError,
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  const body: ApiErrorBody =
    err.code === 'FST_ERR_BAD_URL'
      ? { statusCode: 400, code: 'INVALID_URL', message: 'url: not a valid URL component' }
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? { statusCode: 414, code: 'URI_TOO_LONG', message: 'url: a path parameter is too long' }
        : { statusCode: 500, code: 'INTERNAL', message: 'Internal server error' };
  void reply.code(body.statusCode).header('x-content-type-options', 'nosniff').send(body);
}
