import { join } from 'node:path';
import { NodeChild } from './child-process';

/** dist/ (this file runs as dist/bench/postroom-process.js). */
export const DIST_ROOT = join(__dirname, '..');
export const REPO_ROOT = join(DIST_ROOT, '..');

export interface PostroomOptions {
  databaseUrl: string;
  port: number;
  poolMax: number;
  /** DB_MAX_CONNECTIONS: the budget the pool is cut from (DB_POOL_MAX lowers it to poolMax). */
  maxConnections: number;
  redisPrefix: string;
  jwtSecret: string;
  /** Variables on top of the production defaults (a scenario's variant). */
  env?: Record<string, string>;
  /** Standard output to this file instead of the bench (see NodeChild). */
  stdoutFile?: string;
}

/**
 * Postroom's environment as a production api replica: NODE_ENV=production and
 * nothing else about logging or monitoring, so those stay at their production
 * defaults (off). The environment is built from scratch: a variable the person
 * running the bench happens to export cannot change what is measured.
 */
export function postroomEnv(o: PostroomOptions): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    APP_ROLE: 'api',
    HOST: '127.0.0.1',
    PORT: String(o.port),
    DATABASE_URL: o.databaseUrl,
    JWT_SECRET: o.jwtSecret,
    LOAD_DEMO_DATA: 'false',
    DB_MIGRATE_ON_START: 'true',
    DB_MAX_CONNECTIONS: String(o.maxConnections),
    DB_POOL_MAX: String(o.poolMax),
    REDIS_KEY_PREFIX: o.redisPrefix,
    ...o.env,
  };
  for (const passed of ['PATH', 'HOME', 'REDIS_URL']) {
    const v = process.env[passed];
    if (v) env[passed] = v;
  }
  return env;
}

export interface RunningPostroom {
  child: NodeChild;
  baseUrl: string;
  poolMax: number;
}

export async function startPostroom(
  name: string,
  o: PostroomOptions,
  cpuProfDir?: string,
): Promise<RunningPostroom> {
  const nodeArgs = cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : [];
  const child = new NodeChild(
    name,
    join(DIST_ROOT, 'src', 'main.js'),
    [],
    postroomEnv(o),
    nodeArgs,
    o.stdoutFile,
  );
  const baseUrl = `http://127.0.0.1:${o.port}`;
  await child.waitReady(`${baseUrl}/health/ready`);
  return { child, baseUrl, poolMax: o.poolMax };
}
