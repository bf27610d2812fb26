import jwt from 'jsonwebtoken';
import { loadConfig } from '../config/config.schema';
import { ApiError } from '../http/api-error';
import { TokenService } from './token.service';

describe('TokenService', () => {
  const cfg = loadConfig({
    JWT_SECRET: 'token-test-secret-token-test-secret-0123',
    JWT_TTL_SECONDS: '60',
  });
  const claims = { sub: 7, org: 3, pa: false, oa: true, cv: 1_765_000_000_000_123 };

  afterEach(() => jest.useRealTimers());

  const codeOf = (fn: () => unknown): string | undefined => {
    try {
      fn();
    } catch (e) {
      return e instanceof ApiError ? (e.getResponse() as { code: string }).code : String(e);
    }
    return undefined;
  };

  it('verifies its own tokens, again and again', () => {
    const tokens = new TokenService(cfg);
    const { token } = tokens.sign(claims);
    expect(tokens.verify(token)).toEqual(claims);
    expect(tokens.verify(token)).toEqual(claims);
  });

  it('rejects a forged signature and a foreign key, even beside a remembered genuine token', () => {
    const tokens = new TokenService(cfg);
    const { token } = tokens.sign(claims);
    tokens.verify(token);
    const [h, p, sig] = token.split('.');
    const flipped = `${h}.${p}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
    expect(codeOf(() => tokens.verify(flipped))).toBe('AUTH_TOKEN_INVALID');
    const admin = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), pa: true }),
    ).toString('base64url');
    expect(codeOf(() => tokens.verify(`${h}.${admin}.${sig}`))).toBe('AUTH_TOKEN_INVALID');
    const foreign = jwt.sign(
      { org: 3, pa: true, oa: true },
      'another-secret-another-secret-0123456',
      {
        algorithm: 'HS256',
        subject: '7',
        expiresIn: 60,
        issuer: 'postroom',
      },
    );
    expect(codeOf(() => tokens.verify(foreign))).toBe('AUTH_TOKEN_INVALID');
  });

  it('refuses as revoked a well-signed token without a credential version (issued before them)', () => {
    const tokens = new TokenService(cfg);
    const sign = (extra: Record<string, unknown>) =>
      jwt.sign({ org: 3, pa: false, oa: true, ...extra }, cfg.auth.jwtSecret, {
        algorithm: 'HS256',
        subject: '7',
        expiresIn: 60,
        issuer: 'postroom',
      });
    expect(codeOf(() => tokens.verify(sign({})))).toBe('AUTH_TOKEN_REVOKED');
    expect(codeOf(() => tokens.verify(sign({ cv: '5' })))).toBe('AUTH_TOKEN_REVOKED');
    expect(codeOf(() => tokens.verify(sign({ cv: 1.5 })))).toBe('AUTH_TOKEN_REVOKED');
    expect(tokens.verify(sign({ cv: 5 }))).toEqual({ sub: 7, org: 3, pa: false, oa: true, cv: 5 });
  });

  it('rejects a remembered token once it has expired', () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const tokens = new TokenService(cfg);
    const { token } = tokens.sign(claims);
    expect(tokens.verify(token)).toEqual(claims);
    jest.setSystemTime(new Date('2026-01-01T00:00:59.999Z'));
    expect(tokens.verify(token)).toEqual(claims);
    jest.setSystemTime(new Date('2026-01-01T00:01:00Z'));
    expect(codeOf(() => tokens.verify(token))).toBe('AUTH_TOKEN_EXPIRED');
    expect(codeOf(() => tokens.verify(token))).toBe('AUTH_TOKEN_EXPIRED');
  });
});
