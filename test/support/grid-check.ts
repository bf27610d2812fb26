import type { ColumnType, GridColumn, Operator, SortTerm } from '../../src/core/grid/grid.types';
import { sql } from './fixtures';

/**
 * The conformance suite's own reading of what a grid promises, written apart
 * from the engine: which rows a filter keeps (evaluated in JavaScript on the
 * row fields) and in which order a sort puts rows (asked of PostgreSQL over the
 * values the API returned, with the directions and NULLS LAST spelt out here).
 */

type Scalar = string | number | boolean | null;
export type Row = Record<string, unknown>;

const PG_ARRAY: Record<ColumnType, string> = {
  text: 'text[]',
  enum: 'text[]',
  integer: 'bigint[]',
  reference: 'bigint[]',
  number: 'numeric[]',
  boolean: 'boolean[]',
  datetime: 'timestamptz[]',
  date: 'date[]',
};

/** PostgreSQL's timestamptz text (2025-01-31 12:00:00.123456+05:30) as microseconds since 1970. */
export function micros(v: string): bigint {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?$/.exec(
      v,
    );
  if (!m) throw new Error(`not a timestamp: ${v}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone, sign, zh = '0', zm = '0'] = m;
  // Not Date.UTC: it reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  const ms = date.getTime();
  let offsetMinutes = 0;
  if (zone && zone !== 'Z')
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  return BigInt(ms - offsetMinutes * 60_000) * 1000n + BigInt(frac.padEnd(6, '0') || '0');
}

/** Order of two non-null values of a column type (text is never compared by order here). */
export function compareValues(type: ColumnType, a: Scalar, b: Scalar): number {
  switch (type) {
    case 'integer':
    case 'reference':
    case 'number':
      return Number(a) - Number(b);
    case 'datetime': {
      const d = micros(String(a)) - micros(String(b));
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    }
    case 'date':
    case 'text':
    case 'enum':
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
    case 'boolean':
      return Number(a) - Number(b);
  }
}

/** Whether a row value satisfies `op` with the given (typed) operands, as the API documents it. */
export function satisfies(c: GridColumn, op: Operator, operands: Scalar[], v: Scalar): boolean {
  const eq = (x: Scalar) => v !== null && compareValues(c.type, v, x) === 0;
  const cmp = (x: Scalar) => compareValues(c.type, v, x);
  const lower = (x: Scalar) => String(x).toLowerCase();
  const [a, b] = operands;
  switch (op) {
    case 'eq':
      return eq(a);
    case 'ne':
      return !eq(a); // IS DISTINCT FROM: rows without a value are "not equal"
    case 'in':
      return operands.some(eq);
    case 'nin':
      return !operands.some(eq);
    case 'lt':
      return v !== null && cmp(a) < 0;
    case 'lte':
      return v !== null && cmp(a) <= 0;
    case 'gt':
      return v !== null && cmp(a) > 0;
    case 'gte':
      return v !== null && cmp(a) >= 0;
    case 'between':
      return v !== null && cmp(a) >= 0 && cmp(b) <= 0;
    case 'contains':
      return v !== null && lower(v).includes(lower(a));
    case 'startsWith':
      return v !== null && lower(v).startsWith(lower(a));
    case 'isNull':
      return a === true ? v === null : v !== null;
  }
}

/** A value of the type for a column without data: the filter still has to run. */
function placeholder(c: GridColumn): Scalar {
  switch (c.type) {
    case 'text':
      return 'zz';
    case 'enum':
      return c.values?.[0] ?? 'x';
    case 'integer':
    case 'reference':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'datetime':
      return '2025-01-01 00:00:00+00';
    case 'date':
      return '2025-01-01';
  }
}

export interface FilterCase {
  /** Raw parameter value sent. */
  raw: string;
  /** Typed operands for `satisfies`. */
  operands: Scalar[];
}

/**
 * Operands for an operator, taken from the values the column holds so that
 * the filter keeps some rows and drops others where the data allows.
 */
export function filterCases(c: GridColumn, op: Operator, present: Scalar[]): FilterCase[] {
  if (op === 'isNull') {
    return [
      { raw: 'true', operands: [true] },
      { raw: 'false', operands: [false] },
    ];
  }
  // Text longer than a filter takes, or with the list separator, cannot be an operand.
  const usable = present.filter(
    (v) => v !== null && !(typeof v === 'string' && (v.length > 200 || v.includes(','))),
  );
  const distinct = [...new Map(usable.map((v) => [String(v), v])).values()].sort((x, y) =>
    compareValues(c.type, x, y),
  );
  if (distinct.length === 0) distinct.push(placeholder(c));
  const at = (q: number) =>
    distinct[Math.min(distinct.length - 1, Math.floor(distinct.length * q))];
  const one = (v: Scalar): FilterCase => ({ raw: String(v), operands: [v] });
  switch (op) {
    case 'eq':
    case 'ne':
      return [one(at(0.5))];
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return [one(at(0.5)), one(distinct[0])];
    case 'in':
    case 'nin': {
      const xs = [...new Set([at(0.2), at(0.7)])];
      return [{ raw: xs.map(String).join(','), operands: xs }];
    }
    case 'between':
      return [{ raw: `${String(at(0.25))},${String(at(0.75))}`, operands: [at(0.25), at(0.75)] }];
    case 'contains': {
      // A piece from the middle of a value, upper-cased: matching ignores case.
      const s = String(at(0.5));
      const piece = s.length <= 3 ? s : s.slice(1, Math.min(s.length - 1, 5));
      return [one(piece.toUpperCase()), one('%'), one('_')];
    }
    case 'startsWith': {
      const s = String(at(0.5));
      return [one(s.slice(0, Math.min(3, s.length)).toUpperCase()), one('_')];
    }
  }
}

/**
 * Values at the ends of what the parser lets through: they must reach
 * PostgreSQL as values it takes (a 15-digit number against an int4 column,
 * year 1, 23:59:59 on the last day), never as an error.
 */
export function edgeValues(c: GridColumn): string[] {
  switch (c.type) {
    case 'text':
      return ['x'.repeat(200), 'é✓ \\ \' "'];
    case 'enum':
      return [...(c.values ?? [])];
    case 'integer':
    case 'reference':
      return ['999999999999999', '-999999999999999', '0'];
    case 'number':
      return ['1e300', '-1e300', '0.000001'];
    case 'boolean':
      return ['true', 'false'];
    case 'datetime':
      return ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999999+15:59', '2024-02-29'];
    case 'date':
      return ['0001-01-01', '9999-12-31', '2024-02-29'];
  }
}

/** A raw filter value as `satisfies` takes it: numbers and booleans typed, the rest as sent. */
export function typedOperand(c: GridColumn, raw: string): Scalar {
  switch (c.type) {
    case 'integer':
    case 'reference':
    case 'number':
      return Number(raw);
    case 'boolean':
      return raw === 'true';
    case 'text':
    case 'enum':
    case 'datetime':
    case 'date':
      return raw;
  }
}

/** A value each column type refuses (for the 400 checks). */
export function malformed(c: GridColumn): string {
  switch (c.type) {
    case 'text':
      return 'x'.repeat(201);
    case 'enum':
      return 'not-a-value';
    case 'integer':
    case 'reference':
      return '1.5';
    case 'number':
      return 'abc';
    case 'boolean':
      return 'maybe';
    case 'datetime':
      return '2025-02-30T10:00:00Z';
    case 'date':
      return '2025-02-30';
  }
}

/**
 * Whether PostgreSQL puts the tuples in the order given, under `sort` with
 * NULLS LAST: sorts their positions by the same terms and expects 1…n back.
 */
export async function inPromisedOrder(
  dbUrl: string,
  sort: { term: SortTerm; type: ColumnType }[],
  tuples: Scalar[][],
): Promise<boolean> {
  if (tuples.length < 2) return true;
  const cols = sort.map((_, i) => `c${i}`);
  const [{ ordered }] = await sql<{ ordered: number[] }>(
    dbUrl,
    `SELECT array_agg(i::int ORDER BY ${sort
      .map((s, i) => `${cols[i]} ${s.term.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST`)
      .join(', ')}) AS ordered
     FROM unnest(${sort.map((s, i) => `$${i + 1}::${PG_ARRAY[s.type]}`).join(', ')})
       WITH ORDINALITY AS u(${cols.join(', ')}, i)`,
    sort.map((_, i) => tuples.map((t) => t[i])),
  );
  return ordered.every((pos, k) => pos === k + 1);
}
