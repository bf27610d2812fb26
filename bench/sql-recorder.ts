import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '../src/core/config/config.schema';
import { RedisService } from '../src/core/cache/redis.service';
import { Db } from '../src/core/database/db.service';
import { createApp } from '../src/create-app';
import type { CapturedStatement } from './captured-statement';
import { sleep } from './child-process';

export interface Capture {
  status: number;
  /** The statements of one request once the caches are warm (what every request under load sends). */
  statements: CapturedStatement[];
  /** Statements of the first request of this caller (permission cache cold, for the record). */
  coldStatements: number;
  body: string;
}

/**
 * Records the SQL the API sends for a request, with its parameters: the same
 * application (createApp, the production configuration of the server under
 * test) built in this process, its requests injected through the whole
 * Fastify/Nest pipeline (auth guard, request context, permissions, grid
 * engine), every statement observed with Db.onQuery. Nothing is reconstructed,
 * so the recording follows the code as it changes. One request at a time: every
 * statement seen during a request belongs to it.
 */
export class SqlRecorder {
  private readonly seenCallers = new Set<string>();

  private constructor(
    private readonly app: NestFastifyApplication,
    private readonly db: Db,
  ) {}

  static async open(env: Record<string, string>, databaseUrl: string): Promise<SqlRecorder> {
    const cfg = loadConfig(env);
    const app = await createApp(cfg, { url: databaseUrl, poolMax: 2 }, false);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    // The server under test has the permission cache in Redis: so must the recording,
    // or every request would count the permission load as well.
    const redis = app.get(RedisService);
    for (let waited = 0; !redis.isReady && waited < 5_000; waited += 50) await sleep(50);
    if (!redis.isReady) {
      await app.close();
      throw new Error('Redis is not reachable: the benchmark needs it (the permission cache)');
    }
    return new SqlRecorder(app, app.get(Db));
  }

  async capture(path: string, token: string): Promise<Capture> {
    let cold = -1;
    if (!this.seenCallers.has(token)) {
      this.seenCallers.add(token);
      cold = (await this.record(path, token)).statements.length;
    }
    const warm = await this.record(path, token);
    return { ...warm, coldStatements: cold < 0 ? warm.statements.length : cold };
  }

  close(): Promise<void> {
    return this.app.close();
  }

  private async record(path: string, token: string): Promise<Omit<Capture, 'coldStatements'>> {
    const statements: CapturedStatement[] = [];
    const stop = this.db.onQuery((sql, params) =>
      statements.push({ sql, params: structuredClone([...params]) }),
    );
    try {
      const res = await this.app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.statusCode, statements, body: res.body };
    } finally {
      stop();
    }
  }
}
