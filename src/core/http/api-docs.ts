import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiSchema } from '@nestjs/swagger';
import type { ApiErrorBody } from './api-error';

/** The body of every error answer (ApiErrorBody), for OpenAPI: on every 4xx and 5xx. */
@ApiSchema({ name: 'ApiErrorBody' })
export class ApiErrorBodyDto implements Required<ApiErrorBody> {
  @ApiProperty({ type: 'integer', example: 404, description: 'The HTTP status again' })
  statusCode!: number;
  @ApiProperty({ example: 'NOT_FOUND', description: 'Stable, for programs' })
  code!: string;
  @ApiProperty({ example: 'Folder 7 was not found', description: 'For people' })
  message!: string;
  @ApiPropertyOptional({
    example: 'id',
    description: 'The query parameter, path parameter or body field that is wrong, when one is',
  })
  parameter!: string;
}

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
