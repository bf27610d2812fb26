import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.schema';
import { directDataSourceOptions } from './data-source.options';

/**
 * Applies pending migrations over the direct URL (never through PgBouncer), one
 * transaction per migration, under an advisory lock so that replicas starting
 * together do not race.
 */
export async function runMigrations(cfg: AppConfig, url: string): Promise<string[]> {
  const ds = new DataSource(directDataSourceOptions(cfg, url));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(7171717)');
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      // A migration may rewrite a table or add an index or column: fresh statistics at
      // once, so plans and count=estimate do not wait for autovacuum.
      if (applied.length > 0) await ds.query('ANALYZE');
      return applied.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(7171717)');
    }
  } finally {
    await ds.destroy();
  }
}
