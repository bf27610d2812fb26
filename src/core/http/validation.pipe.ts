import type { ArgumentMetadata } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ApiError } from './api-error';
import { FIELD_VALIDATOR } from './fields';

/**
 * The one message of a field: the field decorators' own (already the most
 * relevant: required, then type, then bound), else the first other one.
 * Messages starting with the property name get the full path instead
 * ("subject is required" → "items.3.subject is required").
 */
function reasonOf(e: ValidationError, path: string): string {
  const constraints = e.constraints ?? {};
  const reason = constraints[FIELD_VALIDATOR] ?? Object.values(constraints)[0] ?? 'is invalid';
  const next = reason.charAt(e.property.length);
  if (reason.startsWith(e.property) && (next === ' ' || next === '['))
    return `${path}${reason.slice(e.property.length)}`;
  return `${path}: ${reason}`;
}

function firstProblem(errors: ValidationError[], prefix = ''): { field: string; message: string } {
  for (const e of errors) {
    if (e.property === '') {
      // A key named "" (only the whitelist refuses it): name the object holding it.
      const field = prefix || 'body';
      return { field, message: `${field}: a property with an empty name is not allowed` };
    }
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      return { field, message: reasonOf(e, field) };
    }
    if (e.children && e.children.length > 0) return firstProblem(e.children, field);
  }
  const field = prefix || 'body';
  return { field, message: `${field} is invalid` };
}

/** A body that is there but no JSON object ("a string", 1, null, [ ]). */
function notAnObject(value: unknown): boolean {
  return (
    value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))
  );
}

const PRIMITIVES: unknown[] = [Object, String, Number, Boolean, Array];
const isDto = (t: unknown) => typeof t === 'function' && !PRIMITIVES.includes(t);

/**
 * DTO validation whose 400 names the field and the reason; unknown fields are
 * refused; a body that is no JSON object is 400 BODY_NOT_OBJECT. Path parameters reach their own pipes (IdPipe) as sent: Nest's
 * primitive transform would hand them "abc" as NaN.
 */
class PostroomValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isDto(metadata.metatype) && notAnObject(value)) {
      throw ApiError.badRequest('BODY_NOT_OBJECT', 'body must be a JSON object', 'body');
    }
    return super.transform(value, metadata);
  }

  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param') return value;
    return super.transformPrimitive(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new PostroomValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const { field, message } = firstProblem(errors);
      return ApiError.badRequest('VALIDATION_FAILED', message, field);
    },
  });
}
