import { types } from 'pg';

const BIGINT = 20;
const BIGINT_ARRAY: number = 1016; // int8[]: not among pg-types' named builtins
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const asString = (v: string): string => v;

/** PostgreSQL's ISO output of a timestamp (DateStyle ISO), any offset, any precision. */
const PG_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

/**
 * A timestamptz as the API writes it: RFC 3339, UTC, milliseconds
 * (2026-12-07T10:17:03.019Z), the fraction truncated like date_trunc.
 *
 * Every connection runs with TimeZone UTC (data-source.options), so PostgreSQL
 * sends "2026-12-07 10:17:03.019692+00" and the answer is a few string slices,
 * no Date. Another offset (a server whose TimeZone could not be set, e.g. behind
 * PgBouncer with another default) takes the slower exact path; values no Date
 * can hold (infinity, BC) go out as PostgreSQL wrote them.
 */
export function timestamptzToJson(v: string): string {
  const n = v.length;
  // "YYYY-MM-DD HH:MM:SS+00" (22) or with a fraction of 1 to 6 digits (24 to 29).
  if (
    v.charCodeAt(10) === 32 &&
    v.charCodeAt(n - 3) === 43 && // '+'
    v.charCodeAt(n - 2) === 48 &&
    v.charCodeAt(n - 1) === 48
  ) {
    // At least milliseconds (the common case: PostgreSQL drops trailing zeros only).
    if (n >= 26 && n <= 29 && v.charCodeAt(19) === 46)
      return `${v.slice(0, 10)}T${v.slice(11, 23)}Z`;
    if (n === 22) return `${v.slice(0, 10)}T${v.slice(11, 19)}.000Z`;
    if ((n === 24 || n === 25) && v.charCodeAt(19) === 46)
      return `${v.slice(0, 10)}T${v.slice(11, n - 3).padEnd(12, '0')}Z`;
  }
  return anyOffsetToJson(v, true);
}

/**
 * A timestamp without time zone: the same format, read as UTC (the application
 * stores none; what it would hold is a UTC wall clock).
 */
export function timestampToJson(v: string): string {
  return anyOffsetToJson(v, false);
}

function anyOffsetToJson(v: string, zoned: boolean): string {
  const m = PG_TIMESTAMP.exec(v);
  if (!m || (zoned && m[8] === undefined)) return v;
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = m;
  const t = new Date(0);
  t.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  t.setUTCHours(Number(h), Number(mi), Number(s), Number((frac ?? '').padEnd(3, '0').slice(0, 3)));
  if (sign !== undefined) {
    const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
    t.setTime(t.getTime() - (sign === '-' ? -offset : offset));
  }
  const ms = t.getTime();
  return Number.isNaN(ms) ? v : t.toISOString();
}
const asNumber = (v: string): number => Number(v);
const parseTextArray = types.getTypeParser(BIGINT_ARRAY, 'text') as (
  v: string,
) => (string | null)[];
const asNumberArray = (v: string): (number | null)[] =>
  parseTextArray(v).map((x) => (x === null ? null : Number(x)));

const textParsers = new Map<number, (v: string) => unknown>([
  // Timestamps go out as RFC 3339 text made from the text PostgreSQL sends (no
  // Date per value: that was a large share of parsing a page of rows); dates
  // as PostgreSQL writes them, YYYY-MM-DD.
  [TIMESTAMPTZ, timestamptzToJson],
  [TIMESTAMP, timestampToJson],
  [DATE, asString],
  // Ids and counts are bigint; every value this application stores fits 2^53.
  [BIGINT, asNumber],
  // Folder paths and id lists: numbers like the ids they hold, so that includes() compares alike.
  [BIGINT_ARRAY, asNumberArray],
  [NUMERIC, asNumber],
]);

/** Per-pool type parsers (pg's global parsers stay untouched). */
export const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
    if (format !== 'binary') {
      const parser = textParsers.get(oid);
      if (parser) return parser;
    }
    return types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
  },
};
