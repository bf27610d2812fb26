import { Logger } from '@nestjs/common';
import { Db } from '../../src/core/database/db.service';
import { PoolMonitor } from '../../src/core/database/pool-monitor.service';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

describe('PoolMonitor', () => {
  let t: TestApp;
  let db: Db;
  let monitor: PoolMonitor;
  beforeAll(async () => {
    t = await startTestApp({
      DB_POOL_MAX: '2',
      POOL_ALERT_UTILIZATION: '0.9',
      POOL_ALERT_SUSTAIN_MS: '5000',
    });
    db = t.app.get(Db);
    monitor = t.app.get(PoolMonitor);
    monitor.onModuleDestroy(); // the test feeds the clock itself
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  });

  it('logs one line when utilization stays high for the sustain time and one when it recovers', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const held = [await db.acquire(), await db.acquire()];
    try {
      expect(monitor.pool()).toMatchObject({ max: 2, inUse: 2, utilization: 1 });
      monitor.check(1_000);
      monitor.check(4_000);
      expect(monitor.alert.active).toBe(false);
      monitor.check(6_000);
      monitor.check(7_000);
      monitor.check(60_000);
      expect(monitor.alert.active).toBe(true);
      expect((await monitor.report()).alert).toMatchObject({ active: true, raisedCount: 1 });
    } finally {
      for (const c of held) db.release(c);
    }
    monitor.check(61_000);
    monitor.check(62_000);
    expect(monitor.alert.active).toBe(false);
    const poolWarnings = warn.mock.calls.filter(([m]) => String(m).includes('pool utilization'));
    const recoveries = log.mock.calls.filter(([m]) => String(m).includes('pool utilization'));
    expect(poolWarnings).toHaveLength(1);
    expect(String(poolWarnings[0][0])).toContain('at or above 90% for 5 s: 2/2 in use');
    expect(recoveries).toHaveLength(1);
    expect(String(recoveries[0][0])).toContain('back under 90%');
  });

  it('keeps a short history, one sample per call, at most 60', () => {
    for (let i = 0; i < 70; i++) monitor.sample(Date.UTC(2026, 0, 1, 0, 0, i));
    const history = monitor.history();
    expect(history).toHaveLength(60);
    expect(history[59]).toMatchObject({ at: '2026-01-01T00:01:09.000Z', max: 2 });
  });
});
