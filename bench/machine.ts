import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { Client } from 'pg';
import { REPO_ROOT } from './postroom-process';

export interface MachineFacts {
  nproc: number;
  cpuModel: string;
  memTotalMb: number;
  os: string;
  node: string;
  postgres: string;
  pgbench: string | null;
  autocannon: string;
  gitCommit: string | null;
  gitDirty: boolean | null;
  loadAverage: number[];
}

function quiet(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: 'pipe' }).trim();
  } catch {
    return null;
  }
}

export async function machineFacts(
  databaseUrl: string,
  pgbench: string | undefined,
): Promise<MachineFacts> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'postroom-bench' });
  await client.connect();
  let postgres: string;
  try {
    postgres = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
  } finally {
    await client.end();
  }
  const status = quiet('git', ['status', '--porcelain', '--untracked-files=no']);
  return {
    nproc: Number(quiet('nproc', [])) || cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memTotalMb: Math.round(totalmem() / 1_048_576),
    os: `${process.platform} ${release()}`,
    node: process.version,
    postgres,
    pgbench: pgbench ? quiet(pgbench, ['--version']) : null,
    autocannon: (
      JSON.parse(readFileSync(require.resolve('autocannon/package.json'), 'utf8')) as {
        version: string;
      }
    ).version,
    gitCommit: quiet('git', ['rev-parse', 'HEAD']),
    gitDirty: status === null ? null : status.length > 0,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
