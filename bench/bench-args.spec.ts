import { BenchArgsError, DEFAULT_DATABASE_URL, SCENARIOS, parseBenchArgs } from './bench-args';

describe('parseBenchArgs', () => {
  it("defaults to the issue: 32 connections, 15 s after 5 s, every scenario, Postroom's own pool", () => {
    const a = parseBenchArgs([]);
    expect(a).toMatchObject({
      durationSec: 15,
      warmupSec: 5,
      slices: 3,
      connections: 32,
      pool: 17,
      burstConnections: 500,
      burstPool: 10,
      loginStormConnections: 1000,
      databaseUrl: DEFAULT_DATABASE_URL,
      cpuProf: false,
    });
    expect(a.only).toEqual([...SCENARIOS]);
  });

  it('reads flags in both spellings', () => {
    const a = parseBenchArgs([
      '--duration=3',
      '--warmup',
      '0',
      '--connections',
      '8',
      '--pool=4',
      '--login-storm-connections',
      '300',
    ]);
    expect(a).toMatchObject({
      durationSec: 3,
      warmupSec: 0,
      connections: 8,
      pool: 4,
      loginStormConnections: 300,
    });
  });

  it('keeps --only in the canonical order, each once', () => {
    expect(parseBenchArgs(['--only', 'item,grid-user,item']).only).toEqual(['grid-user', 'item']);
  });

  it('takes the database from the flag, else BENCH_DATABASE_URL', () => {
    const env = { BENCH_DATABASE_URL: 'postgres://x@h:1/env' };
    expect(parseBenchArgs([], env).databaseUrl).toBe('postgres://x@h:1/env');
    expect(parseBenchArgs(['--database-url', 'postgres://y@h/flag'], env).databaseUrl).toBe(
      'postgres://y@h/flag',
    );
  });

  it.each([
    [['--only', 'grid-nope'], /unknown scenario "grid-nope"/],
    [['--duration', '0'], /--duration: got "0"/],
    [['--connections', 'x'], /--connections: got "x"/],
    [['--pool', '1'], /at least 2/],
    [['--database-url', 'mysql://a'], /postgres:\/\//],
    [['--duration'], /--duration needs a value/],
    [['--fast'], /unknown argument "--fast"/],
    [['--duration', '2', '--slices', '3'], /--slices: 3 slices of a 2 s run/],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
