import type { FastifyCorsOptions } from '@fastify/cors';

/** Every method a route of the API answers (grid reads, creates, edits, replacements, deletes). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'] as const;

/**
 * Request headers a browser client sends: the token, JSON bodies, its own
 * request id, and the W3C trace context of a traced frontend.
 */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-Request-Id',
  'traceparent',
  'tracestate',
] as const;

/**
 * Answer headers a browser client may read: when to retry after a 429 or 503,
 * the request id to quote in a support ticket, and the trace (tracing on).
 */
export const CORS_EXPOSED_HEADERS = ['Retry-After', 'X-Request-Id', 'traceparent'] as const;

/** How long a browser may keep a preflight's answer (seconds; Chromium caps it at 7,200). */
export const CORS_MAX_AGE_SECONDS = 7_200;

/**
 * CORS for the origins of CORS_ORIGINS (none: no CORS headers at all, same-origin
 * only). Bearer tokens travel in Authorization, not cookies, so no credentials.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  return {
    origin: origins.length > 0 ? [...origins] : false,
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    maxAge: CORS_MAX_AGE_SECONDS,
  };
}
