import { operatorsOf } from '../../src/core/grid/grid-query.parser';
import type { GridColumn, GridDefinition, Operator } from '../../src/core/grid/grid.types';
import { OPERATORS } from '../../src/core/grid/grid.types';
import { malformed } from './grid-check';
import type { Params } from './grid-client';

/** Requests derived from a grid definition, for the conformance suite. */

export const filterable = (def: GridDefinition): GridColumn[] =>
  def.columns.filter((c) => c.filterable !== false);
export const sortable = (def: GridDefinition): GridColumn[] =>
  def.columns.filter((c) => c.sortable === true);
export const discoverable = (def: GridDefinition): GridColumn[] =>
  def.columns.filter((c) => c.discoverable === true);

/** Every (filterable column, operator) pair of a grid. */
export function filterPairs(def: GridDefinition): [string, Operator][] {
  return filterable(def).flatMap((c) =>
    operatorsOf(c).map((op): [string, Operator] => [c.key, op]),
  );
}

export interface BadRequest {
  what: string;
  params: Params;
  /** Below the grid URL, e.g. /columns/x/values. */
  path?: string;
  code: string;
  parameter: string;
}

/** Requests every grid must refuse with 400, the code and the parameter at fault. */
export function badRequests(def: GridDefinition): BadRequest[] {
  const out: BadRequest[] = [];
  const add = (what: string, params: Params, code: string, parameter: string, path?: string) =>
    out.push({ what, params, code, parameter, ...(path ? { path } : {}) });
  const firstSortable = sortable(def)[0].key;

  add('an unknown sort column', { sort: 'no_such_column' }, 'GRID_UNKNOWN_COLUMN', 'sort');
  add('an unknown descending sort column', { sort: '-nope' }, 'GRID_UNKNOWN_COLUMN', 'sort');
  const unsortable = def.columns.find((c) => !c.sortable);
  if (unsortable)
    add('an unsortable column', { sort: unsortable.key }, 'GRID_NOT_SORTABLE', 'sort');
  add(
    'a column sorted twice',
    { sort: `${firstSortable},-${firstSortable}` },
    'GRID_INVALID_SORT',
    'sort',
  );
  add('an empty sort', { sort: '' }, 'GRID_INVALID_SORT', 'sort');
  add('an unknown filter column', { 'filter[nope]': '1' }, 'GRID_UNKNOWN_COLUMN', 'filter[nope]');
  add('a malformed filter key', { 'filter[a': '1' }, 'GRID_INVALID_FILTER', 'filter[a');
  const unfilterable = def.columns.find((c) => c.filterable === false);
  if (unfilterable) {
    const p = `filter[${unfilterable.key}]`;
    add('an unfilterable column', { [p]: '1' }, 'GRID_NOT_FILTERABLE', p);
  }
  for (const c of filterable(def)) {
    const ops = operatorsOf(c);
    const bogus = `filter[${c.key}][like]`;
    add(`an unknown operator on ${c.key}`, { [bogus]: '1' }, 'GRID_UNKNOWN_OPERATOR', bogus);
    const notAllowed = OPERATORS.find((op) => !ops.includes(op));
    if (notAllowed) {
      const p = `filter[${c.key}][${notAllowed}]`;
      add(`${notAllowed} on ${c.type} ${c.key}`, { [p]: '1' }, 'GRID_OPERATOR_NOT_ALLOWED', p);
    }
    const op = ops.find((o) => o !== 'isNull');
    if (op) {
      const p = `filter[${c.key}][${op}]`;
      add(`a malformed ${c.type} for ${c.key}`, { [p]: malformed(c) }, 'GRID_INVALID_VALUE', p);
    }
    if (c.type === 'text' && op) {
      const p = `filter[${c.key}][${op}]`;
      add(`a NUL character in ${c.key}`, { [p]: 'a\u0000b' }, 'GRID_INVALID_VALUE', p);
    }
    if (ops.includes('between')) {
      const p = `filter[${c.key}][between]`;
      add(`one value for between on ${c.key}`, { [p]: '1' }, 'GRID_INVALID_VALUE', p);
    }
    if (ops.includes('isNull')) {
      const p = `filter[${c.key}][isNull]`;
      add(`isNull=maybe on ${c.key}`, { [p]: 'maybe' }, 'GRID_INVALID_VALUE', p);
    }
  }
  add('a cursor that is not one', { cursor: 'not-a-cursor' }, 'GRID_INVALID_CURSOR', 'cursor');
  add('a cursor with an offset', { cursor: 'x', offset: '5' }, 'GRID_INVALID_CURSOR', 'cursor');
  for (const limit of ['0', '-1', '501', 'ten', '2.5', ''])
    add(`limit=${limit}`, { limit }, 'GRID_INVALID_LIMIT', 'limit');
  for (const offset of ['-1', 'x', '5001'])
    add(`offset=${offset}`, { offset }, 'GRID_INVALID_OFFSET', 'offset');
  for (const count of ['all', 'EXACT', ''])
    add(`count=${count}`, { count }, 'GRID_INVALID_COUNT', 'count');
  add('an unknown parameter', { page: '2' }, 'GRID_UNKNOWN_PARAMETER', 'page');
  add('a search too long', { search: 'x'.repeat(201) }, 'GRID_INVALID_SEARCH', 'search');
  add('a search with NUL', { search: 'a\u0000b' }, 'GRID_INVALID_SEARCH', 'search');
  const searchable = def.columns.some((c) => c.searchable);
  if (!searchable)
    add('a search without searchable columns', { search: 'x' }, 'GRID_NOT_SEARCHABLE', 'search');

  const values = (key: string) => `/columns/${key}/values`;
  add('values of an unknown column', {}, 'GRID_UNKNOWN_COLUMN', 'column', values('nope'));
  const hidden = def.columns.find((c) => !c.discoverable);
  if (hidden)
    add(
      'values of a column without discovery',
      {},
      'GRID_NOT_DISCOVERABLE',
      'column',
      values(hidden.key),
    );
  const d = discoverable(def)[0];
  if (d) {
    add('values with a sort', { sort: d.key }, 'GRID_UNKNOWN_PARAMETER', 'sort', values(d.key));
    add('values with limit=501', { limit: '501' }, 'GRID_INVALID_LIMIT', 'limit', values(d.key));
    if (!searchable)
      add(
        'values under a grid search without searchable columns',
        { gridSearch: 'x' },
        'GRID_NOT_SEARCHABLE',
        'gridSearch',
        values(d.key),
      );
    add(
      'values under a malformed filter',
      { 'filter[nope]': '1' },
      'GRID_UNKNOWN_COLUMN',
      'filter[nope]',
      values(d.key),
    );
  }
  return out;
}

/** Text an attacker might try in any parameter. */
export function injectionPayloads(table: string): string[] {
  return [
    `'; DROP TABLE ${table}; --`,
    `1; DELETE FROM ${table}`,
    `1 OR 1=1`,
    `' OR '1'='1`,
    `") OR 1=1 --`,
    `1) UNION SELECT NULL, version() --`,
    `'||(SELECT pg_sleep(0))||'`,
    `$1`,
    `\\`,
    `%`,
    `_`,
    `*/ OR /*`,
  ];
}
