import 'reflect-metadata';
import { appConfig } from '../core/config/config.module';
import { ConfigError, redact } from '../core/config/config.schema';
import type { EmbeddedDatabase } from '../core/database/embedded-postgres';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../core/database/embedded-postgres';
import { runMigrations } from '../core/database/migrations';
import type { SpecialUsers } from '../seed/large-seed-plan';
import { demoLogins } from '../seed/demo-data';
import { ConsoleProgress } from '../seed/progress';
import { SeedRefusedError, runSeed } from '../seed/seed-command';
import { withDirectClient } from '../seed/seed-runner';
import { countRows } from '../seed/seed-sql';
import { SEED_USAGE, SeedArgsError, parseSeedArgs } from './seed-args';

const say = (message: string) => process.stdout.write(`${message}\n`);

/**
 * `npm run seed -- --scale small|large [--reset]`: migrates the database on the
 * direct URL (or an embedded PostgreSQL when none is configured) and loads a
 * data set. Progress goes to stderr, the summary to stdout.
 */
async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  const cfg = appConfig();
  let embedded: EmbeddedDatabase | undefined;
  let url = cfg.db.directUrl;
  if (url === undefined) {
    say(`no DATABASE_URL: using the embedded PostgreSQL in ${cfg.db.embeddedDir}`);
    embedded = await startEmbeddedPostgres(cfg.db.embeddedDir, cfg.db.embeddedPort, say);
    url = embedded.url;
  }
  try {
    say(`database ${redact(url)}`);
    const applied = await runMigrations(cfg, url);
    say(applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'schema is up to date');

    const started = performance.now();
    const outcome = await runSeed(url, cfg.seed, {
      set: args.set,
      reset: args.reset,
      scale: args.scale,
      progress: new ConsoleProgress(process.stderr),
    });
    const elapsed = (performance.now() - started) / 1000;
    if (outcome.status === 'already-seeded') {
      say(`the database already holds the ${outcome.set} data set: nothing to do`);
    } else {
      say(`loaded the ${outcome.set} data set in ${elapsed.toFixed(1)} s`);
    }
    const counts = await withDirectClient(url, countRows);
    say(
      `\nrows per table:\n${counts.map((c) => `  ${c.table.padEnd(24)} ${c.rows.toLocaleString('en-US').padStart(10)}`).join('\n')}`,
    );
    if (outcome.specialUsers) printSpecialUsers(outcome.specialUsers, cfg.seed);
    if (outcome.set === 'small') {
      const logins = demoLogins(cfg).map(
        (l) => `  ${l.email.padEnd(28)} ${l.password.padEnd(16)} ${l.what}`,
      );
      say(`\nlogins:\n${logins.join('\n')}`);
    }
    say(`\ntotal time ${elapsed.toFixed(1)} s`);
  } finally {
    await embedded?.stop();
  }
}

function printSpecialUsers(
  u: SpecialUsers,
  seed: { adminPassword: string; demoPassword: string },
): void {
  say(
    [
      `\nlogins (every seeded user's password is DEMO_PASSWORD, "${seed.demoPassword}"):`,
      `  ${u.platformAdmin.padEnd(36)} platform admin (password ADMIN_PASSWORD, "${seed.adminPassword}")`,
      `  ${u.orgAdmin.padEnd(36)} ${u.organization}: organization admin (the biggest organization)`,
      `  ${u.inboxUser.padEnd(36)} ${u.organization}: clerk with thousands of assigned mails (inbox benchmark)`,
      `  ${u.folderScopedUser.padEnd(36)} ${u.organization}: sees the Finance and Legal folders only (grid-user benchmark)`,
    ].join('\n'),
  );
}

main().catch((e: unknown) => {
  if (e instanceof SeedArgsError) {
    process.stderr.write(`${e.message}\n${SEED_USAGE}\n`);
    process.exit(64); // EX_USAGE
  }
  const known =
    e instanceof SeedRefusedError || e instanceof ConfigError || e instanceof EmbeddedPostgresError;
  const message = known ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`\nseed failed: ${message}\n`);
  process.exit(1);
});
