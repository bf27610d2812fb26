import { types } from 'pg';

const BIGINT = 20;
const BIGINT_ARRAY: number = 1016; // int8[]: not among pg-types' named builtins
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const asString = (v: string): string => v;
const asNumber = (v: string): number => Number(v);
const parseTextArray = types.getTypeParser(BIGINT_ARRAY, 'text') as (
  v: string,
) => (string | null)[];
const asNumberArray = (v: string): (number | null)[] =>
  parseTextArray(v).map((x) => (x === null ? null : Number(x)));

const textParsers = new Map<number, (v: string) => unknown>([
  // Timestamps and dates go out as the ISO-like text PostgreSQL sends: building a
  // Date per value is a large share of parsing a page of rows, and JSON needs text.
  [TIMESTAMPTZ, asString],
  [TIMESTAMP, asString],
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
