import { HttpException } from '@nestjs/common';

/** The body of every error answer. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  /** The query parameter, path parameter or body field that is wrong, when one is. */
  parameter?: string;
}

/** An error with a stable code and, where it applies, the parameter or field at fault. */
export class ApiError extends HttpException {
  /** Seconds the client should wait, sent as Retry-After (429s). */
  retryAfter: number | undefined;

  constructor(status: number, code: string, message: string, parameter?: string) {
    const body: ApiErrorBody = { statusCode: status, code, message };
    if (parameter !== undefined) body.parameter = parameter;
    super(body, status);
  }

  static badRequest(code: string, message: string, parameter?: string): ApiError {
    return new ApiError(400, code, message, parameter);
  }

  static notFound(what: string, id: unknown): ApiError {
    return new ApiError(404, 'NOT_FOUND', `${what} ${String(id)} was not found`, 'id');
  }

  static conflict(code: string, message: string, parameter?: string): ApiError {
    return new ApiError(409, code, message, parameter);
  }

  /** 403; `field` names the request field or path parameter the refusal is about. */
  static forbidden(message: string, field?: string): ApiError {
    return new ApiError(403, 'FORBIDDEN', field ? `${field}: ${message}` : message, field);
  }

  /** 409: the record is no longer at the version the caller read (or changed meanwhile). */
  static versionConflict(noun: string, current?: number, sent?: number): ApiError {
    const what = noun.toLowerCase();
    return new ApiError(
      409,
      'VERSION_CONFLICT',
      current !== undefined && sent !== undefined && current !== sent
        ? `version: the ${what} is at version ${current}, you sent ${sent}; reload it`
        : `version: the ${what} changed meanwhile; reload it`,
      'version',
    );
  }

  static unauthorized(code: string, message: string): ApiError {
    return new ApiError(401, code, message);
  }

  static tooManyRequests(code: string, message: string, retryAfterSeconds: number): ApiError {
    const e = new ApiError(429, code, message);
    e.retryAfter = retryAfterSeconds;
    return e;
  }
}
