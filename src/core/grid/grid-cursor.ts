import { createHash } from 'node:crypto';
import { ApiError } from '../http/api-error';
import { parseCursorScalar } from './grid-scalar';
import { sortColumnByKey } from './grid-sort';
import type { GridDefinition, GridFilter, SortTerm } from './grid.types';

/** Far above any cursor the engine writes (5 sort values); bounds the work of decoding junk. */
const MAX_CURSOR_LENGTH = 8192;
/** Longest text value a cursor may carry (the longest text column holds 500 characters). */
const MAX_CURSOR_TEXT = 2000;

/** The sort a cursor was made for: a cursor of another sort is refused, not misread. */
function signature(sort: SortTerm[]): string {
  return sort.map((t) => `${t.column}:${t.direction}`).join(',');
}

/**
 * What a cursor is bound to besides its sort: the filters and the search of the
 * page it continues ('' for none). Its rows follow from those: a cursor taken on
 * to other filters would skip or repeat rows, so it is refused instead.
 */
export function cursorBinding(filters: GridFilter[], search: string | undefined): string {
  if (filters.length === 0 && search === undefined) return '';
  const terms = filters
    .map((f) => JSON.stringify([f.column.key, f.op, f.values]))
    .sort()
    .join('\n');
  return createHash('sha256')
    .update(`${terms}\n${search ?? ''}`)
    .digest('base64url')
    .slice(0, 16);
}

/**
 * An opaque cursor: the sort values of the last row of a page, for this exact
 * sort and binding (see cursorBinding).
 */
export function encodeCursor(sort: SortTerm[], values: unknown[], binding = ''): string {
  const payload = binding
    ? { s: signature(sort), f: binding, v: values }
    : { s: signature(sort), v: values };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

/**
 * Decodes a cursor made for this exact sort and binding, checking every value
 * against its column's type: GRID_INVALID_CURSOR for what is not a cursor of
 * this grid, GRID_CURSOR_STALE for one made under another sort, filter or search.
 */
export function decodeCursor(
  def: GridDefinition,
  sort: SortTerm[],
  cursor: string,
  binding = '',
): unknown[] {
  const invalid = () =>
    ApiError.badRequest(
      'GRID_INVALID_CURSOR',
      'cursor: not a cursor of this grid with this sort (take nextCursor of the previous page)',
      'cursor',
    );
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+={0,2}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = parsed as { s?: unknown; f?: unknown; v?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.s !== 'string' || !Array.isArray(p.v)) {
    throw invalid();
  }
  if (p.s !== signature(sort) || (p.f ?? '') !== binding) {
    throw ApiError.badRequest(
      'GRID_CURSOR_STALE',
      'cursor: made for another sort, filter or search; start again from the first page (without cursor)',
      'cursor',
    );
  }
  if (p.v.length !== sort.length) throw invalid();
  const values = p.v as unknown[];
  sort.forEach((t, i) => {
    const c = sortColumnByKey(def, t.column);
    const v = values[i];
    if (!c) throw invalid();
    if (v === null) {
      if (!c.nullable) throw invalid();
      return;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw invalid();
    // A number where text belongs (or the reverse) is a forged cursor, not a value to coerce.
    if (typeof v === 'number' && !['integer', 'reference', 'number'].includes(c.type))
      throw invalid();
    if (typeof v === 'boolean' && c.type !== 'boolean') throw invalid();
    if (parseCursorScalar(c, String(v), MAX_CURSOR_TEXT) === undefined) throw invalid();
  });
  return values;
}
