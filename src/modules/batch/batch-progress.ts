export interface BatchProgress {
  processed: number;
  failed: number;
  remaining: number;
  /** Share of items handled (processed or failed), 0–100, one decimal. */
  percent: number;
}

export function progressOf(row: Record<string, unknown>): BatchProgress {
  const total = Number(row.item_count);
  const processed = Number(row.processed_count);
  const failed = Number(row.failed_count);
  const handled = processed + failed;
  return {
    processed,
    failed,
    remaining: Math.max(0, total - handled),
    percent: total === 0 ? 100 : Math.round((handled / total) * 1000) / 10,
  };
}
