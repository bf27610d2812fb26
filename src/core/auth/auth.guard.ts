import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RequestContext } from '../context/request-context.service';
import { ApiError } from '../http/api-error';
import { IS_PUBLIC } from '../http/public.decorator';
import { TokenService } from './token.service';

/**
 * Global guard: every route needs a valid bearer token unless marked @Public().
 * It only checks the token (no database); the user context is loaded once,
 * lazily, by whatever first needs it in the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly ctx: RequestContext,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Bearer ')) {
      throw ApiError.unauthorized(
        'AUTH_TOKEN_MISSING',
        'Send a bearer token: Authorization: Bearer <token>',
      );
    }
    const claims = this.tokens.verify(header.slice(7).trim());
    this.ctx.principal = {
      userId: claims.sub,
      organizationId: claims.org,
      isPlatformAdmin: claims.pa,
      isOrgAdmin: claims.oa,
      credentialVersion: claims.cv,
    };
    return true;
  }
}
