/**
 * AG Grid's sort and filter models as the grid API's query parameters
 * (sort=-createdOn, filter[col][op]=value). Pure: the grid page and its unit test
 * share it.
 */

export interface SortItem {
  colId: string;
  sort: 'asc' | 'desc';
}

/** The console's set filter (checkboxes of the values /values discovered). */
export interface SetFilterModel {
  filterType: 'set';
  values: (string | number | boolean | null)[];
}

/** AG Grid's text, number and date filter models, one condition each. */
export interface SimpleFilterModel {
  filterType: 'text' | 'number' | 'date';
  type: string;
  filter?: string | number | null;
  filterTo?: string | number | null;
  dateFrom?: string | null;
  dateTo?: string | null;
}

export type FilterModel = SetFilterModel | SimpleFilterModel;

/** AG Grid's filter option → the API operator. */
const OPERATOR_OF: Record<string, string> = {
  equals: 'eq',
  notEqual: 'ne',
  contains: 'contains',
  startsWith: 'startsWith',
  lessThan: 'lt',
  lessThanOrEqual: 'lte',
  greaterThan: 'gt',
  greaterThanOrEqual: 'gte',
  inRange: 'between',
  blank: 'isNull',
  notBlank: 'isNull',
};

/** The AG Grid filter options a column offers: those whose API operator it allows. */
export function filterOptions(operators: readonly string[]): string[] {
  return Object.entries(OPERATOR_OF)
    .filter(([, op]) => operators.includes(op))
    .map(([option]) => option);
}

/** AG Grid writes dates as 'YYYY-MM-DD hh:mm:ss' (local, no zone): the day, as UTC. */
function day(value: string | null | undefined, columnType: string): string {
  const d = (value ?? '').slice(0, 10);
  return columnType === 'datetime' ? `${d}T00:00:00.000Z` : d;
}

/** The end of a day for a datetime range's upper bound (between includes both ends). */
function endOfDay(value: string | null | undefined, columnType: string): string {
  const d = (value ?? '').slice(0, 10);
  return columnType === 'datetime' ? `${d}T23:59:59.999Z` : d;
}

/** One column's filter as query entries; none when the model cannot be expressed. */
export function filterEntries(
  key: string,
  model: FilterModel,
  columnType: string,
): [string, string][] {
  if (model.filterType === 'set') {
    const present = model.values.filter((v) => v !== null).map(String);
    const hasNull = model.values.includes(null);
    if (present.length === 0 && hasNull) return [[`filter[${key}][isNull]`, 'true']];
    if (present.length === 0) return [];
    return [[`filter[${key}][in]`, present.join(',')]];
  }
  const op = OPERATOR_OF[model.type];
  if (!op) return [];
  if (op === 'isNull') return [[`filter[${key}][isNull]`, String(model.type === 'blank')]];
  const name = `filter[${key}][${op}]`;
  if (model.filterType === 'date') {
    if (op === 'between') {
      return [[name, `${day(model.dateFrom, columnType)},${endOfDay(model.dateTo, columnType)}`]];
    }
    if (op === 'eq' && columnType === 'datetime') {
      return [
        [
          `filter[${key}][between]`,
          `${day(model.dateFrom, columnType)},${endOfDay(model.dateFrom, columnType)}`,
        ],
      ];
    }
    const bound = op === 'lte' || op === 'gt' ? endOfDay : day;
    return [[name, bound(model.dateFrom, columnType)]];
  }
  if (model.filter === undefined || model.filter === null || model.filter === '') return [];
  if (op === 'between') return [[name, `${String(model.filter)},${String(model.filterTo)}`]];
  return [[name, String(model.filter)]];
}

/** The sort, filters and search of a grid request (no paging). */
export function gridQuery(
  sortModel: readonly SortItem[],
  filterModel: Record<string, FilterModel>,
  columnTypes: Record<string, string>,
  search: string,
): Record<string, string> {
  const query: Record<string, string> = {};
  if (sortModel.length > 0) {
    query.sort = sortModel.map((s) => (s.sort === 'desc' ? `-${s.colId}` : s.colId)).join(',');
  }
  for (const [key, model] of Object.entries(filterModel)) {
    for (const [name, value] of filterEntries(key, model, columnTypes[key] ?? 'text')) {
      query[name] = value;
    }
  }
  if (search.trim() !== '') query.search = search.trim();
  return query;
}
