import { loadConfig } from '../config/config.schema';
import { computePoolBudget } from './pool-budget';

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
