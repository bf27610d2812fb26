export interface BatchProgress {
  processed: number;
  failed: number;
  remaining: number;
  /** Share of items handled (processed or failed), 0–100, one decimal. */
  percent: number;
}

export function progressOf(row: Record<string, unknown>): BatchProgress {
  const total = Number(row.itemCount);
  const processed = Number(row.processedCount);
  const failed = Number(row.failedCount);
  const handled = processed + failed;
  return {
    processed,
    failed,
    remaining: Math.max(0, total - handled),
    percent: total === 0 ? 100 : Math.round((handled / total) * 1000) / 10,
  };
}
