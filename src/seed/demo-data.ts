import type { AppConfig } from '../core/config/config.schema';
import { BUSINESS_TABLES, seededWith } from './seed-sql';
import type { DemoLogin } from './small-seed';
import { DEMO_ORGANIZATIONS, seedSmall } from './small-seed';
import { inSeedTransaction, withDirectClient } from './seed-runner';

/**
 * Loads the small demo data set into an empty database, once. Returns the demo
 * logins when this database holds the demo set (now or from an earlier start).
 */
export async function loadDemoDataOnce(
  cfg: AppConfig,
  url: string,
): Promise<{ loaded: boolean; logins: DemoLogin[] }> {
  return withDirectClient(url, async (q) => {
    const outcome = await inSeedTransaction(q, async () => {
      const seeded = await seededWith(q);
      if (seeded !== undefined)
        return { loaded: false, logins: seeded === 'small' ? demoLogins(cfg) : [] };
      const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
      if (n > 0) return { loaded: false, logins: [] }; // someone's own data: never mix demo rows in
      return { loaded: true, logins: await seedSmall(q, cfg.seed) };
    });
    // Statistics of the new rows at once (autovacuum may take a minute): the planner's
    // estimates (count=estimate, plans) are of these rows, not of empty tables.
    if (outcome.loaded) await q.query(`ANALYZE ${BUSINESS_TABLES.join(', ')}`);
    return outcome;
  });
}

export function demoLogins(cfg: AppConfig): DemoLogin[] {
  const logins: DemoLogin[] = [
    {
      email: cfg.seed.adminEmail,
      password: cfg.seed.adminPassword,
      what: 'platform admin (all organizations)',
    },
  ];
  for (const org of DEMO_ORGANIZATIONS) {
    const demo = (who: string, what: string) => ({
      email: `${who}@${org.slug}.example`,
      password: cfg.seed.demoPassword,
      what: `${org.name}: ${what}`,
    });
    logins.push(
      demo('admin', 'organization admin'),
      demo('clerk', 'mailroom clerk'),
      demo('finance', 'reads Finance only'),
    );
  }
  return logins;
}
