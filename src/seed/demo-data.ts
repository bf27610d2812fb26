import type { AppConfig } from '../core/config/config.schema';
import { seededWith } from './seed-sql';
import type { DemoLogin } from './small-seed';
import { seedSmall } from './small-seed';
import { inSeedTransaction, withDirectClient } from './seed-runner';

/**
 * Loads the small demo data set into an empty database, once. Returns the demo
 * logins when this database holds the demo set (now or from an earlier start).
 */
export async function loadDemoDataOnce(
  cfg: AppConfig,
  url: string,
): Promise<{ loaded: boolean; logins: DemoLogin[] }> {
  return withDirectClient(url, (q) =>
    inSeedTransaction(q, async () => {
      const seeded = await seededWith(q);
      if (seeded !== undefined)
        return { loaded: false, logins: seeded === 'small' ? demoLogins(cfg) : [] };
      const [{ n }] = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
      if (n > 0) return { loaded: false, logins: [] }; // someone's own data: never mix demo rows in
      return { loaded: true, logins: await seedSmall(q, cfg.seed) };
    }),
  );
}

export function demoLogins(cfg: AppConfig): DemoLogin[] {
  const demo = (email: string, what: string) => ({ email, password: cfg.seed.demoPassword, what });
  return [
    {
      email: cfg.seed.adminEmail,
      password: cfg.seed.adminPassword,
      what: 'platform admin (all organizations)',
    },
    demo('admin@acme.example', 'Acme Logistics: organization admin'),
    demo('clerk@acme.example', 'Acme Logistics: mailroom clerk'),
    demo('finance@acme.example', 'Acme Logistics: reads Finance only'),
  ];
}
