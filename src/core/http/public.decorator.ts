import { SetMetadata, applyDecorators } from '@nestjs/common';

export const IS_PUBLIC = 'postroom:public';
/** @nestjs/swagger's key for an operation's security requirements (not exported). */
const SWAGGER_SECURITY = 'swagger/apiSecurity';

/**
 * Marks a route (or controller) as reachable without a bearer token; its
 * OpenAPI operations say so with the empty requirement (`security: [{}]`:
 * nothing needed; an empty list would be dropped on a method).
 */
export const Public = () =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(SWAGGER_SECURITY, [{}]));
