import type { ApiErrorBody } from '../../src/core/http/api-error';
import { ApiError } from '../../src/core/http/api-error';

/** The error body a call throws (fails the test when it does not throw an ApiError). */
export function errorOf(fn: () => unknown): ApiErrorBody {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e.getResponse() as ApiErrorBody;
    throw e;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}
