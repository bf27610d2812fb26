import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findPgbench,
  inlineParams,
  parsePgbenchOutput,
  pgbenchScript,
  sqlLiteral,
} from './sql-floor';

describe('sqlLiteral', () => {
  it('writes each value as the text pg would send, quoted', () => {
    expect(sqlLiteral(42)).toBe("'42'");
    expect(sqlLiteral("it's")).toBe("'it''s'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(true)).toBe("'true'");
    expect(sqlLiteral([1, '2', null])).toBe('\'{"1","2",NULL}\'');
    expect(sqlLiteral({ a: 1 })).toBe('\'{"a":1}\'');
  });

  it('keeps backslashes literal (an E-string when there are any)', () => {
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
  });
});

describe('inlineParams', () => {
  it('replaces every $n, $10 not read as $1 followed by 0', () => {
    const params = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(inlineParams('SELECT $1, $10, $2::bigint[]', params)).toBe(
      "SELECT '1', '10', '2'::bigint[]",
    );
  });

  it('leaves $n inside strings, quoted identifiers, comments and dollar quotes alone', () => {
    const sql = `SELECT '$1', "$1", $$ $1 $$, $tag$ $1 $tag$, $1 -- $1\n, 'it''s $1'`;
    expect(inlineParams(sql, ['x'])).toBe(
      `SELECT '$1', "$1", $$ $1 $$, $tag$ $1 $tag$, 'x' -- $1\n, 'it''s $1'`,
    );
  });

  it('fails on a placeholder without a parameter', () => {
    expect(() => inlineParams('SELECT $2', [1])).toThrow('$2 has no parameter');
  });
});

describe('pgbenchScript', () => {
  it('puts each statement on one line, terminated, parameters inlined', () => {
    const script = pgbenchScript([
      { sql: 'SELECT a\n  FROM t\n  WHERE id = $1', params: [7] },
      { sql: 'SELECT 1', params: [] },
    ]);
    expect(script).toBe("SELECT a FROM t WHERE id = '7';\nSELECT 1;\n");
  });
});

describe('parsePgbenchOutput', () => {
  it('reads tps, latency, failures and transactions of PostgreSQL 15', () => {
    const out = `transaction type: /tmp/x.sql
scaling factor: 1
query mode: simple
number of clients: 32
number of threads: 2
maximum number of tries: 1
duration: 15 s
number of transactions actually processed: 120000
number of failed transactions: 3 (0.003%)
latency average = 3.996 ms
initial connection time = 21.5 ms
tps = 8007.812345 (without initial connection time)`;
    expect(parsePgbenchOutput(out)).toEqual({
      tps: 8007.812345,
      latencyAvgMs: 3.996,
      failed: 3,
      transactions: 120000,
    });
  });

  it('fails with the output when there is no tps', () => {
    expect(() => parsePgbenchOutput('pgbench: error: connection refused')).toThrow(
      /printed no tps[\s\S]*connection refused/,
    );
  });
});

describe('findPgbench', () => {
  it('takes the newest major that has pgbench', () => {
    const root = mkdtempSync(join(tmpdir(), 'pgroot-'));
    try {
      for (const major of ['9', '15', '16'])
        mkdirSync(join(root, major, 'bin'), { recursive: true });
      writeFileSync(join(root, '9', 'bin', 'pgbench'), '');
      writeFileSync(join(root, '15', 'bin', 'pgbench'), '');
      expect(findPgbench(root)).toBe(join(root, '15', 'bin', 'pgbench'));
      expect(findPgbench(join(root, 'none'))).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
