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
    super(`Database unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * The connection a statement was sent on died (backend terminated, server
 * restarted, network cut). `sent` is false when the connection was already
 * known dead before the statement left, so the server never saw it.
 */
export class ConnectionLostError extends DatabaseUnavailableError {
  constructor(
    cause: unknown,
    readonly sent: boolean,
  ) {
    super(cause);
    this.name = 'ConnectionLostError';
  }
}

const CONNECTION_SQLSTATE = /^(08|57P0)/;

/** True when the error means the connection itself is gone (not the statement). */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof ConnectionLostError) return true;
  if (!(e instanceof Error) || e instanceof DatabaseUnavailableError) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && CONNECTION_SQLSTATE.test(code)) return true;
  return /Connection terminated|ECONNRESET|ECONNREFUSED|EPIPE|Client has encountered a connection error|not queryable/i.test(
    e.message,
  );
}

/** pg's own "the client was dead before the statement was written" error. */
export function isNotQueryable(e: unknown): boolean {
  return e instanceof Error && /not queryable/i.test(e.message);
}

export function isAcquireTimeout(e: unknown): boolean {
  return e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message);
}

const READ_START =
  /^\s*(?:\/\*[\s\S]*?\*\/\s*|--[^\n]*\n\s*)*(SELECT|WITH|VALUES|SHOW|EXPLAIN|TABLE)\b/i;
const WRITE_WORD =
  /\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COPY|CALL|DO|nextval|setval|pg_advisory\w*|pg_notify|pg_terminate_backend|pg_cancel_backend|set_config|FOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)|INTO)\b/i;

/**
 * True when one statement is safe to send twice: it starts as a read and names
 * nothing that writes, locks or has side effects. Deliberately conservative: a
 * read it does not recognise is simply not retried.
 */
export function isReadOnlySql(sql: string): boolean {
  return READ_START.test(sql) && !WRITE_WORD.test(sql);
}
