import type { AnyGridPage, ListPath, Row } from './api';
import { gridGet } from './api';

/**
 * The blocks AG Grid's infinite row model asks for, fetched by keyset cursor:
 * block n starts at the cursor the page before it ended with, so a jump deep
 * down walks the pages between (AG Grid asks one block at a time here).
 * The cursors are kept per query (sort, filters, search); a new query starts over.
 */
export class CursorPager {
  private queryKey = '';
  private cursors = new Map<number, string>();
  total: AnyGridPage['total'] = null;

  constructor(
    private readonly path: ListPath,
    readonly blockSize: number,
    private readonly count: () => 'exact' | 'estimate',
  ) {}

  /** Forgets the cursors and the total (a new count mode). */
  reset(): void {
    this.queryKey = '';
  }

  /** The rows from startRow, and the row count when the last page was reached. */
  async block(
    query: Record<string, string>,
    startRow: number,
  ): Promise<{ rows: Row[]; lastRow?: number }> {
    const key = JSON.stringify(query);
    if (key !== this.queryKey) {
      this.queryKey = key;
      this.cursors = new Map();
      this.total = null;
    }
    let at = 0;
    for (const known of this.cursors.keys()) if (known <= startRow && known > at) at = known;
    for (;;) {
      const cursor = this.cursors.get(at);
      const page = await gridGet<AnyGridPage>(this.path, {
        ...query,
        limit: String(this.blockSize),
        ...(cursor ? { cursor } : {}),
        ...(at === 0 ? { count: this.count() } : {}),
      });
      if (at === 0) this.total = page.total;
      if (page.page.nextCursor) this.cursors.set(at + this.blockSize, page.page.nextCursor);
      if (at >= startRow || !page.page.hasMore) {
        return page.page.hasMore
          ? { rows: page.data }
          : { rows: at >= startRow ? page.data : [], lastRow: at + page.data.length };
      }
      at += this.blockSize;
    }
  }
}
