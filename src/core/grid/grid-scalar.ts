import type { ColumnType, GridColumn } from './grid.types';

/** Longest text a filter or search takes. */
export const MAX_TEXT = 200;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;
const INTEGER = /^-?\d{1,15}$/;
/** Decimal notation only: Number() would also take " 12 ", "0x10" and "1_0". */
const NUMBER = /^-?\d{1,30}(?:\.\d{1,30})?(?:[eE][+-]?\d{1,3})?$/;
/** PostgreSQL rejects NUL in text with an error, not an empty result. */
const NUL = '\u0000';

/**
 * A calendar date PostgreSQL accepts: JavaScript's Date.parse rolls 2025-02-30
 * over to March and takes year 0, where PostgreSQL answers with an error.
 */
function validDate(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function validDatetime(v: string): boolean {
  const m = DATETIME.exec(v);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, zone, zh, zm] = m;
  if (!validDate(Number(y), Number(mo), Number(d))) return false;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59)) return false;
  if (s !== undefined && Number(s) > 59) return false;
  // PostgreSQL's limit on a written offset is ±15:59.
  if (zone !== undefined && zone !== 'Z') {
    if (Number(zh) > 15 || (zm !== undefined && Number(zm) > 59)) return false;
  }
  return true;
}

/** Parses one scalar for a column's type; undefined when malformed. */
export function parseScalar(c: GridColumn, v: string): unknown {
  return parseTyped(c.type, v, c.values, MAX_TEXT);
}

/**
 * Like parseScalar, for a value the engine wrote itself into a cursor: text may
 * be as long as the database holds (a 500-character title sorts like any other).
 */
export function parseCursorScalar(c: GridColumn, v: string, maxText: number): unknown {
  return parseTyped(c.type, v, c.values, maxText);
}

function parseTyped(
  type: ColumnType,
  v: string,
  values: readonly string[] | undefined,
  maxText: number,
): unknown {
  switch (type) {
    case 'integer':
    case 'reference':
      return INTEGER.test(v) ? Number(v) : undefined;
    case 'number': {
      const n = Number(v);
      return NUMBER.test(v) && Number.isFinite(n) ? n : undefined;
    }
    case 'boolean':
      return v === 'true' ? true : v === 'false' ? false : undefined;
    case 'datetime':
      return validDatetime(v) ? v : undefined;
    case 'date': {
      const m = DATE.exec(v);
      return m && validDate(Number(m[1]), Number(m[2]), Number(m[3])) ? v : undefined;
    }
    case 'enum':
      return values?.includes(v) ? v : undefined;
    case 'text':
      return v.length <= maxText && !v.includes(NUL) ? v : undefined;
  }
}

/** Checks free text (search terms): bounded and without NUL. */
export function validText(v: string): boolean {
  return v.length <= MAX_TEXT && !v.includes(NUL);
}

export function describeType(c: GridColumn): string {
  switch (c.type) {
    case 'integer':
    case 'reference':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'datetime':
      return 'an ISO 8601 date-time such as 2025-01-31T12:00:00Z';
    case 'date':
      return 'a date such as 2025-01-31';
    case 'enum':
      return `one of ${(c.values ?? []).join(', ')}`;
    case 'text':
      return `text of at most ${MAX_TEXT} characters, without NUL`;
  }
}
