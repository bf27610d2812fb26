import { createSecretKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { ApiError } from '../http/api-error';

export interface TokenClaims {
  sub: number;
  org: number | null;
  pa: boolean;
  oa: boolean;
  /** The account's credential_version at sign-in: the token holds while the account's does. */
  cv: number;
}

/** 401 for a token of another credential version than its account's. */
export function tokenRevoked(
  why = "the account's password, roles or status changed since it was issued",
): ApiError {
  return ApiError.unauthorized(
    'AUTH_TOKEN_REVOKED',
    `The bearer token was revoked: ${why}. Sign in again`,
  );
}

/** Verified tokens remembered at most (a client sends the same token with every request). */
const VERIFIED_MAX = 10_000;

/**
 * HS256 bearer tokens. The HMAC key is made once as a KeyObject: given a string,
 * jsonwebtoken first tries it as a public key on every verify (~0.9 ms each).
 * A token that verified is remembered until it expires, so the signature of a
 * client's token is checked once, not on each of its requests.
 */
@Injectable()
export class TokenService {
  private readonly key: KeyObject;
  private readonly ttl: number;
  private readonly verified = new Map<string, { claims: TokenClaims; expiresAtMs: number }>();

  constructor(@Inject(APP_CONFIG) cfg: AppConfig) {
    this.key = createSecretKey(Buffer.from(cfg.auth.jwtSecret, 'utf8'));
    this.ttl = cfg.auth.jwtTtlSeconds;
  }

  sign(claims: TokenClaims): { token: string; expiresAt: string; expiresIn: number } {
    const token = jwt.sign(
      { org: claims.org, pa: claims.pa, oa: claims.oa, cv: claims.cv },
      this.key,
      {
        algorithm: 'HS256',
        subject: String(claims.sub),
        expiresIn: this.ttl,
        issuer: 'postroom',
      },
    );
    return {
      token,
      expiresIn: this.ttl,
      expiresAt: new Date(Date.now() + this.ttl * 1000).toISOString(),
    };
  }

  verify(token: string): TokenClaims {
    const known = this.verified.get(token);
    // jsonwebtoken's own rule: expired from the second of exp on.
    if (known && Date.now() < known.expiresAtMs) return known.claims;
    if (known) this.verified.delete(token);
    const { claims, exp } = this.verifySignature(token);
    if (exp !== undefined) {
      if (this.verified.size >= VERIFIED_MAX) {
        // The oldest entry goes first (a Map keeps insertion order).
        this.verified.delete(this.verified.keys().next().value as string);
      }
      this.verified.set(token, { claims, expiresAtMs: exp * 1000 });
    }
    return claims;
  }

  private verifySignature(token: string): { claims: TokenClaims; exp: number | undefined } {
    let payload: jwt.JwtPayload | string;
    try {
      payload = jwt.verify(token, this.key, { algorithms: ['HS256'], issuer: 'postroom' });
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) {
        throw ApiError.unauthorized(
          'AUTH_TOKEN_EXPIRED',
          'The bearer token has expired: sign in again',
        );
      }
      throw ApiError.unauthorized('AUTH_TOKEN_INVALID', 'The bearer token is not valid');
    }
    if (typeof payload === 'string' || !/^\d+$/.test(payload.sub ?? '')) {
      throw ApiError.unauthorized('AUTH_TOKEN_INVALID', 'The bearer token is not valid');
    }
    const p = payload as jwt.JwtPayload & {
      org?: unknown;
      pa?: unknown;
      oa?: unknown;
      cv?: unknown;
    };
    // Issued before tokens carried a credential version: none can match the account's.
    if (typeof p.cv !== 'number' || !Number.isSafeInteger(p.cv)) {
      throw tokenRevoked('it was issued before tokens carried the version of their credentials');
    }
    const claims: TokenClaims = Object.freeze({
      sub: Number(p.sub),
      org: typeof p.org === 'number' ? p.org : null,
      pa: p.pa === true,
      oa: p.oa === true,
      cv: p.cv,
    });
    return { claims, exp: typeof p.exp === 'number' ? p.exp : undefined };
  }
}
