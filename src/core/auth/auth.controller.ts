import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AdmissionLane } from '../http/admission-gate';
import { Public } from '../http/public.decorator';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './dto/login.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @AdmissionLane('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiResponse({
    status: 400,
    description: 'VALIDATION_FAILED: email or password missing or malformed',
  })
  @ApiResponse({ status: 401, description: 'AUTH_INVALID_CREDENTIALS or AUTH_ACCOUNT_DISABLED' })
  @ApiResponse({
    status: 429,
    description: 'AUTH_THROTTLED: too many failed sign-ins (Retry-After)',
  })
  @ApiResponse({
    status: 503,
    description:
      'LOGIN_BUSY: too many sign-ins at once; waited LOGIN_QUEUE_TIMEOUT_MS (Retry-After)',
  })
  login(@Body() body: LoginDto, @Req() req: FastifyRequest): Promise<LoginResponseDto> {
    return this.auth.login(
      body.email,
      body.password,
      req.ip,
      () => req.raw.socket?.destroyed === true,
    );
  }
}
