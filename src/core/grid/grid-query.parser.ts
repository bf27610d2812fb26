import { ApiError } from '../http/api-error';
import { cursorBinding, decodeCursor } from './grid-cursor';
import { withTieBreaker } from './grid-sort';

export { withTieBreaker };
import { MAX_TEXT, describeType, parseScalar, validText } from './grid-scalar';
import type {
  CountMode,
  GridColumn,
  GridDefinition,
  GridFilter,
  GridQuery,
  Operator,
  SortTerm,
} from './grid.types';
import { OPERATORS, OPERATORS_BY_TYPE } from './grid.types';

export type RawQuery = Record<string, string | string[] | undefined>;

export interface GridLimits {
  defaultLimit: number;
  maxLimit: number;
  maxOffset: number;
}

const MAX_LIST_ITEMS = 100;
const FILTER_KEY = /^filter\[([A-Za-z0-9_]+)\](?:\[([A-Za-z]+)\])?$/;

const bad = (code: string, message: string, parameter: string) =>
  ApiError.badRequest(code, message, parameter);

function single(raw: RawQuery, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw bad('GRID_REPEATED_PARAMETER', `${key} may be given once`, key);
  return v;
}

export function columnByKey(def: GridDefinition, key: string): GridColumn | undefined {
  return def.columns.find((c) => c.key === key);
}

export function operatorsOf(c: GridColumn): readonly Operator[] {
  return c.operators ?? OPERATORS_BY_TYPE[c.type];
}

export function parseSort(def: GridDefinition, raw: string | undefined): SortTerm[] {
  if (raw === undefined) return [...def.defaultSort];
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.length > 5 || parts.some((p) => p === '' || p === '-')) {
    throw bad(
      'GRID_INVALID_SORT',
      'sort takes a comma list of 1 to 5 columns, "-" before a column for descending',
      'sort',
    );
  }
  const terms: SortTerm[] = [];
  for (const p of parts) {
    const desc = p.startsWith('-');
    const key = desc ? p.slice(1) : p;
    const c = columnByKey(def, key);
    if (!c) throw bad('GRID_UNKNOWN_COLUMN', `sort: unknown column "${key}"`, 'sort');
    if (!c.sortable)
      throw bad('GRID_NOT_SORTABLE', `sort: column "${key}" cannot be sorted`, 'sort');
    if (terms.some((t) => t.column === key))
      throw bad('GRID_INVALID_SORT', `sort: column "${key}" is given twice`, 'sort');
    terms.push({ column: key, direction: desc ? 'desc' : 'asc' });
  }
  return terms;
}

function parseFilter(def: GridDefinition, key: string, rawValue: string | string[]): GridFilter {
  const m = FILTER_KEY.exec(key);
  if (!m)
    throw bad(
      'GRID_INVALID_FILTER',
      `${key}: filters are written filter[column] or filter[column][operator]`,
      key,
    );
  const [, columnKey, opRaw] = m;
  const c = columnByKey(def, columnKey);
  if (!c) throw bad('GRID_UNKNOWN_COLUMN', `${key}: unknown column "${columnKey}"`, key);
  if (c.filterable === false)
    throw bad('GRID_NOT_FILTERABLE', `${key}: column "${columnKey}" cannot be filtered`, key);
  const op = (opRaw ?? 'eq') as Operator;
  if (!(OPERATORS as readonly string[]).includes(op)) {
    throw bad(
      'GRID_UNKNOWN_OPERATOR',
      `${key}: unknown operator "${opRaw}"; operators are ${OPERATORS.join(', ')}`,
      key,
    );
  }
  const allowed = operatorsOf(c);
  if (!allowed.includes(op)) {
    throw bad(
      'GRID_OPERATOR_NOT_ALLOWED',
      `${key}: "${op}" does not apply to ${c.type} column "${columnKey}"; it takes ${allowed.join(', ')}`,
      key,
    );
  }
  if (Array.isArray(rawValue))
    throw bad('GRID_REPEATED_PARAMETER', `${key} may be given once`, key);

  if (op === 'isNull') {
    if (rawValue !== 'true' && rawValue !== 'false')
      throw bad('GRID_INVALID_VALUE', `${key}: takes true or false`, key);
    return { column: c, op, values: [rawValue === 'true'], parameter: key };
  }
  const multi = op === 'in' || op === 'nin' || op === 'between';
  const items = multi ? rawValue.split(',') : [rawValue];
  if (op === 'between' && items.length !== 2) {
    throw bad(
      'GRID_INVALID_VALUE',
      `${key}: between takes two comma-separated values, lowest first`,
      key,
    );
  }
  if (items.length === 0 || items.length > MAX_LIST_ITEMS) {
    throw bad('GRID_INVALID_VALUE', `${key}: takes 1 to ${MAX_LIST_ITEMS} values`, key);
  }
  const values = items.map((item) => {
    const v = parseScalar(c, item);
    if (v === undefined)
      throw bad(
        'GRID_INVALID_VALUE',
        `${key}: "${item.slice(0, 50)}" is not ${describeType(c)}`,
        key,
      );
    return v;
  });
  if ((op === 'contains' || op === 'startsWith') && values[0] === '') {
    throw bad('GRID_INVALID_VALUE', `${key}: takes a non-empty text`, key);
  }
  return { column: c, op, values, parameter: key };
}

export function parseFilters(def: GridDefinition, raw: RawQuery): GridFilter[] {
  const filters: GridFilter[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('filter')) continue;
    if (value === undefined) continue;
    filters.push(parseFilter(def, key, value));
  }
  return filters;
}

function parseText(raw: RawQuery, parameter: string): string | undefined {
  const s = single(raw, parameter);
  if (s === undefined || s.trim() === '') return undefined;
  if (!validText(s))
    throw bad(
      'GRID_INVALID_SEARCH',
      `${parameter}: at most ${MAX_TEXT} characters, no NUL characters`,
      parameter,
    );
  return s.trim();
}

/**
 * The grid's quick search. A grid without searchable columns refuses one:
 * ignoring it would answer every row to a client that believes them searched.
 */
function parseSearch(def: GridDefinition, raw: RawQuery, parameter: string): string | undefined {
  const s = parseText(raw, parameter);
  if (s !== undefined && !def.columns.some((c) => c.searchable)) {
    throw bad(
      'GRID_NOT_SEARCHABLE',
      `${parameter}: grid "${def.name}" has no quick search; filter a column instead`,
      parameter,
    );
  }
  return s;
}

function parseIntParam(
  raw: RawQuery,
  key: string,
  def: number,
  min: number,
  max: number,
  code: string,
): number {
  const s = single(raw, key);
  if (s === undefined) return def;
  if (!/^\d{1,9}$/.test(s) || Number(s) < min || Number(s) > max) {
    throw bad(code, `${key}: got "${s.slice(0, 20)}", takes an integer ${min}..${max}`, key);
  }
  return Number(s);
}

const GRID_PARAMS = new Set(['sort', 'search', 'limit', 'offset', 'cursor', 'count']);

function rejectUnknown(raw: RawQuery, known: Set<string>): void {
  for (const key of Object.keys(raw)) {
    if (!known.has(key) && !key.startsWith('filter')) {
      throw bad(
        'GRID_UNKNOWN_PARAMETER',
        `unknown query parameter "${key.slice(0, 50)}"`,
        key.slice(0, 50),
      );
    }
  }
}

export function parseGridQuery(def: GridDefinition, raw: RawQuery, limits: GridLimits): GridQuery {
  rejectUnknown(raw, GRID_PARAMS);
  const sort = parseSort(def, single(raw, 'sort'));
  const filters = parseFilters(def, raw);
  const search = parseSearch(def, raw, 'search');
  const limit = parseIntParam(
    raw,
    'limit',
    limits.defaultLimit,
    1,
    limits.maxLimit,
    'GRID_INVALID_LIMIT',
  );
  const offset = parseIntParam(raw, 'offset', 0, 0, limits.maxOffset, 'GRID_INVALID_OFFSET');
  const countRaw = single(raw, 'count') ?? 'none';
  if (!['none', 'exact', 'estimate'].includes(countRaw)) {
    throw bad(
      'GRID_INVALID_COUNT',
      `count: got "${countRaw.slice(0, 20)}", takes none, exact or estimate`,
      'count',
    );
  }
  const cursorRaw = single(raw, 'cursor');
  if (cursorRaw !== undefined && offset > 0) {
    throw bad(
      'GRID_INVALID_CURSOR',
      'cursor and offset cannot be combined: page on with the cursor',
      'cursor',
    );
  }
  const fullSort = withTieBreaker(def, sort);
  const cursor =
    cursorRaw === undefined || cursorRaw === ''
      ? undefined
      : decodeCursor(def, fullSort, cursorRaw, cursorBinding(filters, search));
  return { sort, filters, search, limit, offset, cursor, count: countRaw as CountMode };
}

const VALUES_PARAMS = new Set(['search', 'limit', 'gridSearch']);

export interface ValuesQuery {
  filters: GridFilter[];
  /** The grid's own quick search, still applied to the rows counted. */
  gridSearch: string | undefined;
  /** Search within the values (their labels for references). */
  valueSearch: string | undefined;
  limit: number;
}

/**
 * Value discovery input: every grid filter (the column's own is dropped by the
 * engine), `search` within the values, `gridSearch` for the grid's quick search,
 * and a limit.
 */
export function parseValuesQuery(def: GridDefinition, raw: RawQuery): ValuesQuery {
  rejectUnknown(raw, VALUES_PARAMS);
  return {
    filters: parseFilters(def, raw),
    gridSearch: parseSearch(def, raw, 'gridSearch'),
    valueSearch: parseText(raw, 'search'),
    limit: parseIntParam(raw, 'limit', 50, 1, 500, 'GRID_INVALID_LIMIT'),
  };
}
