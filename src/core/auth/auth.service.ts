import { Injectable } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import { AuthRepository } from './auth.repository';
import { LoginThrottle } from './login-throttle.service';
import { hashPassword, verifyPassword } from './password';
import { TokenService } from './token.service';
import type { LoginResponseDto } from './dto/login.dto';

@Injectable()
export class AuthService {
  // Compared against when the email is unknown, so that both paths cost one scrypt.
  private readonly dummyHash = hashPassword('not-a-real-password');

  constructor(
    private readonly repo: AuthRepository,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(emailRaw: string, password: string, ip: string): Promise<LoginResponseDto> {
    const email = emailRaw.trim().toLowerCase();
    const wait = await this.throttle.blockedFor(email, ip);
    if (wait > 0) {
      const e = new ApiError(
        429,
        'AUTH_THROTTLED',
        `Too many failed sign-ins: try again in ${wait} s`,
      );
      (e as ApiError & { retryAfter?: number }).retryAfter = wait;
      throw e;
    }
    const user = await this.repo.findByEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || !ok) {
      await this.throttle.fail(email, ip);
      throw ApiError.unauthorized('AUTH_INVALID_CREDENTIALS', 'Wrong email or password');
    }
    if (!user.isActive || !user.organizationActive) {
      throw ApiError.unauthorized('AUTH_ACCOUNT_DISABLED', 'This account is disabled');
    }
    await this.throttle.succeed(email, ip);
    await this.repo.recordLogin(user.id);
    const t = this.tokens.sign({
      sub: user.id,
      org: user.organizationId,
      pa: user.isPlatformAdmin,
      oa: user.isOrgAdmin,
      cv: user.credentialVersion,
    });
    return { token: t.token, tokenType: 'Bearer', expiresIn: t.expiresIn, expiresAt: t.expiresAt };
  }
}
