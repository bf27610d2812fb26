import type {
  CellValueChangedEvent,
  ColDef,
  GridApi,
  IDatasource,
  IGetRowsParams,
} from 'ag-grid-community';
import {
  ColumnApiModule,
  ColumnAutoSizeModule,
  CustomFilterModule,
  DateFilterModule,
  InfiniteRowModelModule,
  ModuleRegistry,
  NumberFilterModule,
  SelectEditorModule,
  TextEditorModule,
  TextFilterModule,
  createGrid,
} from 'ag-grid-community';
import type { ColumnDescription, Row } from './api';
import { ApiError, gridGet, patchRow } from './api';
import { CursorPager } from './cursor-pager';
import type { FilterModel, SortItem } from './grid-query';
import { filterOptions, gridQuery } from './grid-query';
import type { ModuleView } from './modules';
import type { SetFilterParams } from './set-filter';
import { SetFilter } from './set-filter';
import { el, notice } from './ui';

// Only the features used (AllCommunityModule would double the bundle).
ModuleRegistry.registerModules([
  InfiniteRowModelModule,
  TextFilterModule,
  NumberFilterModule,
  DateFilterModule,
  CustomFilterModule,
  TextEditorModule,
  SelectEditorModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
]);

const BLOCK = 100;

/** Column types whose filter is the set of values /values discovers. */
const SET_TYPES = new Set(['enum', 'reference', 'boolean']);

function filterOf(col: ColumnDescription): Partial<ColDef<Row>> {
  if (!col.filterable) return { filter: false };
  const options = filterOptions(col.operators);
  const simple = {
    filterOptions: options,
    defaultOption: options.includes('contains') ? 'contains' : options[0],
    maxNumConditions: 1,
    buttons: ['reset'],
  };
  if (col.discoverable && (SET_TYPES.has(col.type) || !options.includes('contains'))) {
    return { filter: SetFilter };
  }
  switch (col.type) {
    case 'integer':
    case 'number':
      return { filter: 'agNumberColumnFilter', filterParams: simple };
    case 'date':
    case 'datetime':
      return { filter: 'agDateColumnFilter', filterParams: simple };
    case 'text':
    case 'enum':
    case 'reference':
    case 'boolean':
      return { filter: 'agTextColumnFilter', filterParams: simple };
  }
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function formatValue(col: ColumnDescription, row: Row | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (col.labelKey && row) return text(row[col.labelKey] ?? value);
  if (col.type === 'datetime' && typeof value === 'string') {
    return value.replace('T', ' ').slice(0, 19);
  }
  return text(value);
}

/**
 * A grid page: the module's columns from /columns, rows by cursor, edits by
 * PATCH with version. Returns the function that destroys the grid.
 */
export async function gridPage(root: HTMLElement, view: ModuleView): Promise<() => void> {
  const columns = await gridGet<ColumnDescription[]>(`${view.path}/columns`, {});
  const types = Object.fromEntries(columns.map((c) => [c.key, c.type]));
  let search = '';
  let count: 'exact' | 'estimate' = 'estimate';
  let grid: GridApi<Row> | undefined = undefined;
  const pager = new CursorPager(view.path, BLOCK, () => count);
  /** The other columns' filters and the search, for a set filter's /values. */
  const othersThan = (key: string): Record<string, string> => {
    const filters = (grid?.getFilterModel() ?? {}) as Record<string, FilterModel>;
    const others = Object.fromEntries(Object.entries(filters).filter(([k]) => k !== key));
    return gridQuery([], others, types, search);
  };

  const totalEl = el('span', { className: 'total', 'data-testid': 'total' }, '…');
  const searchBox = el('input', { type: 'search', placeholder: 'Search', 'data-testid': 'search' });
  const countChoice = el('select', { 'data-testid': 'count-mode' });
  countChoice.append(
    el('option', { value: 'estimate' }, 'estimated total'),
    el('option', { value: 'exact' }, 'exact total'),
  );
  const columnsButton = el(
    'button',
    { type: 'button', 'data-testid': 'columns-button' },
    'Columns',
  );
  const columnsMenu = el('div', { className: 'columns-menu', hidden: true });
  const banner = el('div', { className: 'banner', hidden: true, 'data-testid': 'banner' });
  const gridEl = el('div', { className: 'grid', 'data-testid': 'grid' });
  root.replaceChildren(
    el('h1', {}, view.title),
    el('div', { className: 'toolbar' }, searchBox, countChoice, columnsButton, totalEl),
    columnsMenu,
    banner,
    gridEl,
  );

  const showTotal = () => {
    const t = pager.total;
    totalEl.textContent = t
      ? t.exact
        ? `${t.value.toLocaleString()} rows`
        : `≈ ${t.value.toLocaleString()} rows (estimated)`
      : '';
  };

  const datasource: IDatasource = {
    getRows(params: IGetRowsParams) {
      pager
        .block(
          gridQuery(
            params.sortModel as SortItem[],
            params.filterModel as Record<string, FilterModel>,
            types,
            search,
          ),
          params.startRow,
        )
        .then(({ rows, lastRow }) => {
          params.successCallback(rows, lastRow);
          if (params.startRow === 0) showTotal();
        })
        .catch((err: unknown) => {
          params.failCallback();
          notice(
            banner,
            `Could not load rows: ${err instanceof Error ? err.message : String(err)}`,
          );
        });
    },
  };

  const colDefs: ColDef<Row>[] = columns.map((col) => {
    const editable = view.editable.includes(col.key);
    const def: ColDef<Row> = {
      field: col.key,
      colId: col.key,
      headerName: col.label,
      sortable: col.sortable,
      editable,
      valueFormatter: (p) => formatValue(col, p.data, p.value),
      ...filterOf(col),
    };
    if (def.filter === SetFilter) {
      def.filterParams = {
        valuesPath: `${view.path}/columns/${col.key}/values`,
        otherFilters: () => othersThan(col.key),
      } satisfies Partial<SetFilterParams>;
    }
    if (editable && col.values) {
      def.cellEditor = 'agSelectCellEditor';
      def.cellEditorParams = { values: col.values };
    }
    return def;
  });

  const save = async (e: CellValueChangedEvent<Row>) => {
    // Only what a person typed is saved; the grid's own changes (a revert, new data) are not.
    if (e.source !== 'edit' || !e.data || !e.colDef.field) return;
    const field = e.colDef.field;
    try {
      const row = await patchRow(`${view.path}/${e.data.id}`, {
        version: e.data.version,
        [field]: e.newValue as unknown,
      });
      e.node.setData(row);
      notice(banner, `Saved ${field} of #${row.id}.`, 'ok');
    } catch (err) {
      e.node.setDataValue(field, e.oldValue, 'revert');
      if (err instanceof ApiError && err.status === 409 && err.body.code === 'VERSION_CONFLICT') {
        const reload = el('button', { type: 'button', 'data-testid': 'reload' }, 'Reload');
        reload.addEventListener('click', () => {
          banner.hidden = true;
          grid?.refreshInfiniteCache();
        });
        notice(banner, `#${e.data.id} was changed by someone else, reload.`, 'conflict', reload);
      } else {
        notice(banner, `Not saved: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  grid = createGrid<Row>(gridEl, {
    columnDefs: colDefs,
    defaultColDef: { resizable: true, width: 150 },
    rowModelType: 'infinite',
    datasource,
    cacheBlockSize: BLOCK,
    maxConcurrentDatasourceRequests: 1,
    maxBlocksInCache: 50,
    getRowId: (p) => String(p.data.id),
    onCellValueChanged: (e) => void save(e),
    onFilterChanged: () => showTotal(),
  });

  let typing: ReturnType<typeof setTimeout> | undefined;
  searchBox.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      search = searchBox.value;
      grid?.purgeInfiniteCache();
    }, 300);
  });
  countChoice.addEventListener('change', () => {
    count = countChoice.value === 'exact' ? 'exact' : 'estimate';
    pager.reset();
    grid?.purgeInfiniteCache();
  });
  columnsButton.addEventListener('click', () => {
    columnsMenu.hidden = !columnsMenu.hidden;
  });
  columnsMenu.append(
    ...columns.map((col) => {
      const box = el('input', { type: 'checkbox', checked: true, value: col.key });
      box.addEventListener('change', () => grid?.setColumnsVisible([col.key], box.checked));
      return el('label', {}, box, ` ${col.label}`);
    }),
  );
  return () => grid?.destroy();
}
