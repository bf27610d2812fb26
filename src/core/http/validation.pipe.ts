import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ApiError } from './api-error';

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; reason: string } {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const reason = Object.values(e.constraints)[0];
      return { field, reason };
    }
    if (e.children && e.children.length > 0) return firstProblem(e.children, field);
  }
  return { field: prefix || 'body', reason: 'is invalid' };
}

/** DTO validation whose 400 names the field and the reason; unknown fields are refused. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const { field, reason } = firstProblem(errors);
      return ApiError.badRequest('VALIDATION_FAILED', `${field}: ${reason}`, field);
    },
  });
}
