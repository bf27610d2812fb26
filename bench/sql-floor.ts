import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { escapeLiteral } from 'pg';
import { prepareValue } from 'pg/lib/utils';
import type { CapturedStatement } from './captured-statement';

/**
 * The SQL floor: the statements the API sent, with their parameters inlined as
 * literals, run by pgbench at the same concurrency. A literal is written exactly
 * as pg sends the parameter (text, type left to the server), so PostgreSQL
 * plans the same statement: pg's unnamed statements get a custom plan for
 * their values, and so does pgbench's simple protocol.
 */
export function sqlLiteral(value: unknown): string {
  const text = prepareValue(value);
  if (text === null) return 'NULL';
  if (typeof text !== 'string') throw new Error('binary parameters are not inlined');
  return escapeLiteral(text);
}

/** Replaces $n placeholders outside quotes, comments and dollar-quoted strings. */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const skipTo = (end: number) => {
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    };
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (;;) {
        j = sql.indexOf(ch, j);
        if (j < 0 || sql[j + 1] !== ch) break;
        j += 2; // a doubled quote stays inside the string
      }
      skipTo(j < 0 ? -1 : j + 1);
    } else if (ch === '-' && sql[i + 1] === '-') {
      skipTo(sql.indexOf('\n', i));
    } else if (ch === '$') {
      const m = /^\$(\d+)/.exec(sql.slice(i));
      const tag = /^\$[A-Za-z_]?\w*\$/.exec(sql.slice(i));
      if (m) {
        const n = Number(m[1]);
        if (n < 1 || n > params.length) throw new Error(`$${n} has no parameter`);
        out += sqlLiteral(params[n - 1]);
        i += m[0].length;
      } else if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        skipTo(end < 0 ? -1 : end + tag[0].length);
      } else {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** One pgbench transaction = the statements of one API request, one per line. */
export function pgbenchScript(statements: readonly CapturedStatement[]): string {
  return statements
    .map(
      (s) =>
        `${inlineParams(s.sql, s.params)
          .replace(/\s*\n\s*/g, ' ')
          .trim()};\n`,
    )
    .join('');
}

/** pgbench of the newest PostgreSQL installed beside the server. */
export function findPgbench(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((major) => /^\d+$/.test(major))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, 'bin', 'pgbench'))
    .find((path) => existsSync(path));
}

export interface PgbenchResult {
  tps: number;
  latencyAvgMs: number | null;
  failed: number;
  transactions: number;
}

/** Reads pgbench's summary (PostgreSQL 13+ wording). */
export function parsePgbenchOutput(out: string): PgbenchResult {
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out.slice(-2000)}`);
  const latency = /latency average = ([\d.]+) ms/.exec(out);
  const failed = /number of failed transactions: (\d+)/.exec(out);
  const processed = /number of transactions actually processed: (\d+)/.exec(out);
  return {
    tps: Number(tps[1]),
    latencyAvgMs: latency ? Number(latency[1]) : null,
    failed: failed ? Number(failed[1]) : 0,
    transactions: processed ? Number(processed[1]) : 0,
  };
}

export interface PgbenchRun {
  pgbench: string;
  databaseUrl: string;
  scriptPath: string;
  clients: number;
  durationSec: number;
}

export function runPgbench(run: PgbenchRun): Promise<PgbenchResult> {
  const u = new URL(run.databaseUrl);
  const args = [
    '-n', // no vacuum of pgbench's own tables: there are none
    '-c',
    String(run.clients),
    '-j',
    String(Math.min(2, run.clients)),
    '-T',
    String(run.durationSec),
    '-f',
    run.scriptPath,
    '-h',
    u.hostname || '127.0.0.1',
    '-p',
    u.port || '5432',
    '-U',
    decodeURIComponent(u.username || 'postgres'),
    decodeURIComponent(u.pathname.slice(1)),
  ];
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'postroom-bench-sql-floor' };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  return new Promise((resolve, reject) => {
    execFile(
      run.pgbench,
      args,
      { env, timeout: (run.durationSec + 60) * 1000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) {
          reject(new Error(`pgbench failed: ${err.message}\n${stderr.slice(-2000)}`));
          return;
        }
        try {
          resolve(parsePgbenchOutput(`${stdout}\n${stderr}`));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    );
  });
}

/** pgbench in slices that alternate with the API's (see SlicedLoad): tps over all of them. */
export class SlicedPgbench {
  private seconds = 0;
  private weightedTps = 0;
  private transactions = 0;
  private weightedLatency = 0;
  private failed = 0;

  constructor(private readonly run: Omit<PgbenchRun, 'durationSec'>) {}

  async warmup(seconds: number): Promise<void> {
    if (seconds > 0) await runPgbench({ ...this.run, durationSec: pgbenchSeconds(seconds) });
  }

  async slice(seconds: number): Promise<void> {
    const s = pgbenchSeconds(seconds);
    const r = await runPgbench({ ...this.run, durationSec: s });
    this.seconds += s;
    this.weightedTps += r.tps * s;
    this.transactions += r.transactions;
    this.weightedLatency += (r.latencyAvgMs ?? 0) * r.transactions;
    this.failed += r.failed;
  }

  result(): PgbenchResult {
    if (this.seconds === 0) throw new Error('no measured run');
    return {
      tps: this.weightedTps / this.seconds,
      latencyAvgMs: this.transactions > 0 ? this.weightedLatency / this.transactions : null,
      failed: this.failed,
      transactions: this.transactions,
    };
  }
}

/** pgbench -T takes whole seconds. */
function pgbenchSeconds(seconds: number): number {
  return Math.max(1, Math.round(seconds));
}
