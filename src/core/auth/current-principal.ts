import { createParamDecorator } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import type { Principal } from '../context/request-context.service';
import { ApiError } from '../http/api-error';

/** The signed-in caller (the guard has put it in the request context). */
export const CurrentPrincipal = createParamDecorator((_data: unknown): Principal => {
  const p = ClsServiceManager.getClsService().get<Principal | undefined>('principal');
  if (!p) throw ApiError.unauthorized('AUTH_TOKEN_MISSING', 'Sign in first');
  return p;
});
