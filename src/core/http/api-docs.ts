import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

const AUTH = [
  ApiResponse({
    status: 401,
    description: 'AUTH_TOKEN_MISSING / AUTH_TOKEN_INVALID / AUTH_TOKEN_EXPIRED',
  }),
  ApiResponse({ status: 403, description: 'FORBIDDEN: the action is not granted to you' }),
  ApiResponse({ status: 503, description: 'DB_POOL_EXHAUSTED (Retry-After)' }),
];

/** Error answers of a route reading one record. */
export function ApiItemErrors() {
  return applyDecorators(
    ApiResponse({ status: 400, description: 'INVALID_ID: the id is not a positive integer' }),
    ApiResponse({
      status: 404,
      description: 'NOT_FOUND: no such record, or outside your scope (never revealed)',
    }),
    ...AUTH,
  );
}

/** Error answers of a route changing records. */
export function ApiWriteErrors() {
  return applyDecorators(
    ApiResponse({ status: 400, description: 'VALIDATION_* naming the field and the reason' }),
    ApiResponse({ status: 404, description: 'NOT_FOUND: no such record, or outside your scope' }),
    ApiResponse({
      status: 409,
      description: 'VERSION_CONFLICT (stale version), CONFLICT_DUPLICATE, or a workflow rule',
    }),
    ...AUTH,
  );
}
