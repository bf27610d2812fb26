import 'reflect-metadata';
import { appConfig } from '../core/config/config.module';
import { ConfigError } from '../core/config/config.schema';
import { runMigrations } from '../core/database/migrations';

/** `npm run migrate`: applies pending migrations over DATABASE_DIRECT_URL. */
async function main(): Promise<void> {
  const cfg = appConfig();
  const url = cfg.db.directUrl;
  if (url === undefined) {
    throw new ConfigError([
      'DATABASE_DIRECT_URL: got nothing, accepts a postgres:// URL (or set DATABASE_URL)',
    ]);
  }
  const applied = await runMigrations(cfg, url);
  process.stdout.write(
    applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
