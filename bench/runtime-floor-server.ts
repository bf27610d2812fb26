import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { UtcClient } from '../src/core/database/pg-client';
import { pgTypes } from '../src/core/database/pg-types';
import type { CapturedStatement } from './captured-statement';

/**
 * The runtime floor: what Node itself does with the API's SQL. A bare node:http
 * server and a pg pool of the same size as Postroom's, no framework, no auth,
 * no request context; GET /<scenario> sends that scenario's captured statements
 * (one after another, as one request of the API did) and answers the rows of
 * the last as JSON. Same type parsers as Postroom, so both do the same
 * parsing work. Started by the bench as a process of its own:
 *   node runtime-floor-server.js <config.json>
 */
export interface RuntimeFloorConfig {
  port: number;
  databaseUrl: string;
  poolMax: number;
  idleTimeoutMs: number;
  routes: Record<string, CapturedStatement[]>;
}

function main(): void {
  const path = process.argv[2];
  if (!path) throw new Error('usage: runtime-floor-server <config.json>');
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as RuntimeFloorConfig;
  const pool = new Pool({
    connectionString: cfg.databaseUrl,
    max: cfg.poolMax,
    idleTimeoutMillis: cfg.idleTimeoutMs,
    application_name: 'postroom-bench-runtime-floor',
    types: pgTypes,
    Client: UtcClient,
  });
  pool.on('error', () => undefined); // an idle client's error must not kill the floor

  const server = createServer((req, res) => {
    const statements = req.url ? cfg.routes[req.url.slice(1)] : undefined;
    if (!statements) {
      res.writeHead(req.url === '/ready' ? 200 : 404).end();
      return;
    }
    void (async () => {
      try {
        let rows: unknown[] = [];
        for (const s of statements) rows = (await pool.query(s.sql, s.params)).rows;
        const body = JSON.stringify({ data: rows });
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
      } catch (e) {
        res.writeHead(500).end(e instanceof Error ? e.message : String(e));
      }
    })();
  });
  server.keepAliveTimeout = 60_000;
  server.listen(cfg.port, '127.0.0.1');
  const stop = () => {
    server.close();
    void pool.end().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
