import { loadConfig } from '../config/config.schema';
import { computePoolBudget, computeReplicaPoolBudget, replicaRuntimes } from './pool-budget';

const db = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).db;

describe('computePoolBudget', () => {
  it('divides what is left after the reserve between the processes, rounding down', () => {
    const b = computePoolBudget(
      db({ DB_MAX_CONNECTIONS: '100', DB_RESERVED_CONNECTIONS: '5', DB_POOL_PROCESSES: '6' }),
    );
    expect(b).toEqual({ poolMax: 15, share: 15, limitedBy: 'budget' });
  });

  it('lets DB_POOL_MAX lower the pool but never raise it past the share', () => {
    const base = { DB_MAX_CONNECTIONS: '40', DB_RESERVED_CONNECTIONS: '0', DB_POOL_PROCESSES: '4' };
    expect(computePoolBudget(db({ ...base, DB_POOL_MAX: '4' })).poolMax).toBe(4);
    expect(computePoolBudget(db({ ...base, DB_POOL_MAX: '50' }))).toMatchObject({
      poolMax: 10,
      limitedBy: 'budget',
    });
  });

  it('refuses a budget under 2 with a message naming the numbers to change', () => {
    const bad = db({
      DB_MAX_CONNECTIONS: '10',
      DB_RESERVED_CONNECTIONS: '5',
      DB_POOL_PROCESSES: '3',
    });
    expect(() => computePoolBudget(bad)).toThrow(
      /DB_MAX_CONNECTIONS \(10\) − DB_RESERVED_CONNECTIONS \(5\) = 5 shared by DB_POOL_PROCESSES \(3\) gives 1/,
    );
  });
});

describe('computeReplicaPoolBudget', () => {
  it("applies the same rule to each replica's own budget (defaults: the primary's figures)", () => {
    const same = db({
      DB_MAX_CONNECTIONS: '30',
      DB_RESERVED_CONNECTIONS: '3',
      DB_POOL_PROCESSES: '3',
    });
    expect(computeReplicaPoolBudget(same).poolMax).toBe(9);
    const own = db({
      DB_MAX_CONNECTIONS: '30',
      DB_RESERVED_CONNECTIONS: '3',
      DB_POOL_PROCESSES: '3',
      DB_REPLICA_MAX_CONNECTIONS: '60',
      DB_REPLICA_RESERVED_CONNECTIONS: '0',
      DATABASE_READ_URLS: 'postgres://a/x, postgres://b/x',
    });
    expect(computeReplicaPoolBudget(own)).toEqual({ poolMax: 20, share: 20, limitedBy: 'budget' });
    expect(replicaRuntimes(own)).toEqual([
      { url: 'postgres://a/x', poolMax: 20 },
      { url: 'postgres://b/x', poolMax: 20 },
    ]);
  });

  it("names the replica's variables when its share is too small", () => {
    const tight = db({ DB_REPLICA_MAX_CONNECTIONS: '4', DB_REPLICA_RESERVED_CONNECTIONS: '3' });
    expect(() => computeReplicaPoolBudget(tight)).toThrow(/DB_REPLICA_MAX_CONNECTIONS \(4\)/);
  });

  it('refuses a read URL that is not a postgres URL', () => {
    expect(() => db({ DATABASE_READ_URLS: 'postgres://a/x,http://b' })).toThrow(
      /DATABASE_READ_URLS\[1\]/,
    );
  });
});
