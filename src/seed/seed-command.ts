import type { SpecialUsers } from './large-seed-plan';
import { specialUsers } from './large-seed-plan';
import { LARGE_SEED, seedLarge } from './large-seed';
import type { SeedProgress } from './progress';
import { silentProgress } from './progress';
import { inSeedTransaction, withDirectClient } from './seed-runner';
import { BUSINESS_TABLES, hasBusinessData, seededWith, truncateBusinessData } from './seed-sql';
import type { SeedCredentials } from './small-seed';
import { seedSmall } from './small-seed';

export type SeedSet = 'small' | 'large';

export interface SeedRequest {
  set: SeedSet;
  /** Delete all business data first (otherwise a database holding other data is refused). */
  reset?: boolean;
  /** Row-count factor of the large set (1 = full size). */
  scale?: number;
  progress?: SeedProgress;
}

export type SeedOutcome = {
  status: 'loaded' | 'already-seeded';
  set: string;
  specialUsers?: SpecialUsers;
};

/** The database holds data this command must not mix seed rows into. */
export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedRefusedError';
  }
}

/**
 * Loads a data set over a direct connection, idempotently:
 * - the requested set already loaded (or, for small, any set): nothing is done;
 * - other data present: refused, unless `reset` empties every business table first;
 * - otherwise the set is loaded in ONE transaction under the seed lock, so a
 *   failure (or Ctrl-C) leaves the database as it was and the command can simply
 *   be run again.
 * Afterwards the tables are vacuumed and analyzed (outside the transaction): fresh
 * statistics for the planner and a visibility map for index-only scans.
 */
export async function runSeed(
  url: string,
  creds: SeedCredentials,
  request: SeedRequest,
): Promise<SeedOutcome> {
  const progress = request.progress ?? silentProgress;
  return withDirectClient(url, async (q) => {
    const outcome = await inSeedTransaction(q, async (): Promise<SeedOutcome> => {
      const present = await seededWith(q);
      if (!request.reset) {
        if (present !== undefined && (present === request.set || request.set === 'small')) {
          return {
            status: 'already-seeded',
            set: present,
            specialUsers: present === LARGE_SEED ? specialUsers(creds.adminEmail) : undefined,
          };
        }
        if (present !== undefined) {
          throw new SeedRefusedError(
            `the database holds the ${present} data set; run again with --reset to delete it ` +
              `(and every other business row) and load the ${request.set} set`,
          );
        }
        if (await hasBusinessData(q, creds.adminEmail)) {
          throw new SeedRefusedError(
            'the database holds data that no seed made (organizations or users); the seed never ' +
              'mixes its rows into real data. Run again with --reset to delete ALL business data first',
          );
        }
      } else {
        progress.begin('reset', 1);
        await truncateBusinessData(q);
        progress.end();
      }
      if (request.set === 'small') {
        progress.begin('small data set', 1);
        await seedSmall(q, creds);
        progress.end();
        return { status: 'loaded', set: 'small' };
      }
      const special = await seedLarge(q, creds, { scale: request.scale, progress });
      return { status: 'loaded', set: LARGE_SEED, specialUsers: special };
    });
    if (outcome.status === 'loaded') {
      progress.begin('vacuum analyze', 1);
      await q.query(`VACUUM (ANALYZE) ${BUSINESS_TABLES.join(', ')}`);
      progress.end();
    }
    return outcome;
  });
}
