import { Injectable } from '@nestjs/common';
import { ApiError } from '../http/api-error';
import type { Credentials } from './auth.repository';
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
    // Counted before the password is checked: parallel guesses cannot outrun the count.
    const attempt = await this.throttle.reserve(email, ip);
    if (!attempt.allowed) {
      throw ApiError.tooManyRequests(
        'AUTH_THROTTLED',
        `Too many failed sign-ins: try again in ${attempt.retryAfterSeconds} s`,
        attempt.retryAfterSeconds,
      );
    }
    let user: Credentials | undefined;
    let ok: boolean;
    try {
      user = await this.repo.findByEmail(email);
      ok = await verifyPassword(password, user?.passwordHash ?? (await this.dummyHash));
    } catch (e) {
      // No password was checked (database down): the attempt does not count.
      await this.throttle.giveBack(attempt);
      throw e;
    }
    // A wrong password stays counted.
    if (!user || !ok) {
      throw ApiError.unauthorized('AUTH_INVALID_CREDENTIALS', 'Wrong email or password');
    }
    // The right password is no guess, even for a disabled account: the count starts again.
    await this.throttle.succeed(email, ip);
    if (!user.isActive || !user.organizationActive) {
      throw ApiError.unauthorized('AUTH_ACCOUNT_DISABLED', 'This account is disabled');
    }
    await this.repo.recordLogin(user.id);
    const t = this.tokens.sign({
      sub: user.id,
      org: user.organizationId,
      pa: user.isPlatformAdmin,
      oa: user.isOrgAdmin,
    });
    return { token: t.token, tokenType: 'Bearer', expiresIn: t.expiresIn, expiresAt: t.expiresAt };
  }
}
