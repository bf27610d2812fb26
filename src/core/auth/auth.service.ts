import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { ApiError } from '../http/api-error';
import type { Credentials } from './auth.repository';
import { AuthRepository } from './auth.repository';
import { HashSlots } from './hash-slots';
import { LoginThrottle } from './login-throttle.service';
import { hashPassword, verifyPassword } from './password';
import { TokenService } from './token.service';
import type { LoginResponseDto } from './dto/login.dto';

@Injectable()
export class AuthService {
  // Compared against when the email is unknown, so that both paths cost one scrypt.
  private readonly dummyHash = hashPassword('not-a-real-password');
  private readonly hashing: HashSlots;

  constructor(
    private readonly repo: AuthRepository,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.hashing = new HashSlots(cfg.http.loginMaxInFlight);
  }

  /** `clientGone`: true once the client has left (its password is then never checked). */
  async login(
    emailRaw: string,
    password: string,
    ip: string,
    clientGone: () => boolean = () => false,
  ): Promise<LoginResponseDto> {
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
    let ok: boolean | undefined;
    try {
      user = await this.repo.findByEmail(email);
      const hash = user?.passwordHash ?? (await this.dummyHash);
      ok = await this.hashing.run(() => verifyPassword(password, hash), clientGone);
    } catch (e) {
      // No password was checked (database down): the attempt does not count.
      await this.throttle.giveBack(attempt);
      throw e;
    }
    if (ok === undefined) {
      await this.throttle.giveBack(attempt);
      throw new ApiError(499, 'CLIENT_CLOSED_REQUEST', 'The client left before its sign-in');
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
      cv: user.credentialVersion,
    });
    return { token: t.token, tokenType: 'Bearer', expiresIn: t.expiresIn, expiresAt: t.expiresAt };
  }
}
