import { Client } from 'pg';

type StartupConf = Record<string, string>;
type WithStartupConf = { getStartupConf: (this: Client) => StartupConf };
const baseStartupConf = (Client.prototype as unknown as WithStartupConf).getStartupConf;

/**
 * The session time zone every connection of the application runs with: the
 * API writes timestamps in UTC, and with TimeZone UTC PostgreSQL sends them as
 * "…+00", which pg-types turns into RFC 3339 text without a Date.
 */
export const SESSION_TIME_ZONE = 'UTC';

/**
 * node-postgres' Client with TimeZone in the startup packet. A startup
 * parameter, not a SET: it holds for the whole session directly, and PgBouncer
 * (which tracks TimeZone, like application_name, and accepts it in the startup
 * packet of every version) applies it to whichever server connection serves
 * the client in transaction mode. node-postgres has no option for arbitrary
 * startup parameters (only `options`, which PgBouncer before 1.20 refuses).
 */
export class UtcClient extends Client {
  getStartupConf(): StartupConf {
    return { ...baseStartupConf.call(this), TimeZone: SESSION_TIME_ZONE };
  }
}
