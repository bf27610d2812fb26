import type { IDoesFilterPassParams, IFilterComp, IFilterParams } from 'ag-grid-community';
import type { ColumnValues, GridRoute } from './api';
import { gridGet } from './api';
import type { SetFilterModel } from './grid-query';

/** What the set filter needs beyond AG Grid's params: where its values come from. */
export interface SetFilterParams extends IFilterParams {
  valuesPath: GridRoute;
  /** The other columns' filters and the search, so the counts match the rows. */
  otherFilters: () => Record<string, string>;
}

type Value = string | number | boolean | null;

/**
 * A set filter (AG Grid's is Enterprise-only): a checkbox per value of the
 * column's /values, with its count, loaded each time the filter opens.
 */
export class SetFilter implements IFilterComp {
  private params!: SetFilterParams;
  private readonly gui = document.createElement('div');
  private readonly list = document.createElement('div');
  private selected = new Set<string>();
  private values: { value: Value; label: string; count: number }[] = [];

  init(params: SetFilterParams): void {
    this.params = params;
    this.gui.className = 'set-filter';
    this.list.className = 'set-filter-list';
    const clear = document.createElement('button');
    clear.type = 'button';
    clear.textContent = 'Clear';
    clear.addEventListener('click', () => {
      this.selected.clear();
      this.render();
      this.params.filterChangedCallback();
    });
    this.gui.append(this.list, clear);
  }

  getGui(): HTMLElement {
    return this.gui;
  }

  afterGuiAttached(): void {
    this.list.textContent = 'Loading…';
    gridGet<ColumnValues>(this.params.valuesPath, this.params.otherFilters())
      .then((answer) => {
        this.values = answer.data;
        this.render();
        if (answer.hasMore)
          this.list.append(
            Object.assign(document.createElement('em'), {
              textContent: 'more values: narrow with other filters',
            }),
          );
      })
      .catch((err: unknown) => {
        this.list.textContent = `Could not load values: ${err instanceof Error ? err.message : String(err)}`;
      });
  }

  private render(): void {
    this.list.replaceChildren(
      ...this.values.map((v) => {
        const key = JSON.stringify(v.value);
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.checked = this.selected.has(key);
        box.addEventListener('change', () => {
          if (box.checked) this.selected.add(key);
          else this.selected.delete(key);
          this.params.filterChangedCallback();
        });
        const count = document.createElement('span');
        count.className = 'count';
        count.textContent = v.count.toLocaleString();
        label.append(box, ` ${v.value === null ? '(empty)' : v.label} `, count);
        return label;
      }),
    );
  }

  isFilterActive(): boolean {
    return this.selected.size > 0;
  }

  /** The rows are filtered by the API (infinite row model): every row loaded passes. */
  doesFilterPass(_params: IDoesFilterPassParams): boolean {
    return true;
  }

  getModel(): SetFilterModel | null {
    if (this.selected.size === 0) return null;
    return { filterType: 'set', values: [...this.selected].map((k) => JSON.parse(k) as Value) };
  }

  setModel(model: SetFilterModel | null): void {
    this.selected = new Set((model?.values ?? []).map((v) => JSON.stringify(v)));
    this.render();
  }
}
