/** No pooled connection became free within DB_POOL_ACQUIRE_TIMEOUT_MS. */
export class PoolExhaustedError extends Error {
  readonly code = 'DB_POOL_EXHAUSTED';
  constructor(readonly waitedMs: number) {
    super(`No database connection became free within ${Math.round(waitedMs)} ms`);
    this.name = 'PoolExhaustedError';
  }
}

/** The database could not be reached at all. */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DB_UNAVAILABLE';
  constructor(cause: unknown) {
    super(`Database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'DatabaseUnavailableError';
  }
}

const CONNECTION_SQLSTATE = /^(08|57P0)/;

/** True when the error means the connection itself is gone (not the statement). */
export function isConnectionError(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_SQLSTATE.test(code)) return true;
  return /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|Client has encountered a connection error|not queryable/i.test(
    e.message,
  );
}

export function isAcquireTimeout(e: unknown): boolean {
  return e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message);
}
