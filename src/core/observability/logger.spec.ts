import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';
import { format, transports } from 'winston';
import { loadConfig } from '../config/config.schema';
import { createAppLogger, WinstonNestLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const cfg = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://x@h/db',
    JWT_SECRET: 'x'.repeat(32),
  });
  const logger = createAppLogger(cfg, [new transports.Stream({ stream, format: format.json() })]);
  for (const t of logger.transports) if (t instanceof transports.Console) t.silent = true;
  return { lines, nest: new WinstonNestLogger(logger) };
}

describe('app logger', () => {
  it('puts the request id of the current context on every line', async () => {
    const { lines, nest } = capture();
    const cls = ClsServiceManager.getClsService();
    await cls.run(async () => {
      cls.set(CLS_ID, 'req-42');
      nest.log('inside', 'Test');
      await Promise.resolve();
      nest.warn('still inside', 'Test');
    });
    nest.log('outside', 'Test');
    expect(lines.map((l) => [l.message, l.requestId])).toEqual([
      ['inside', 'req-42'],
      ['still inside', 'req-42'],
      ['outside', undefined],
    ]);
  });

  it('keeps the fields of an object message', () => {
    const { lines, nest } = capture();
    nest.log({ message: 'GET /x 200', statusCode: 200, requestId: 'given' }, 'Request');
    expect(lines[0]).toMatchObject({
      message: 'GET /x 200',
      statusCode: 200,
      requestId: 'given',
      context: 'Request',
      level: 'info',
    });
  });

  it('writes a rotated JSON file only when file logging is on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postroom-log-'));
    try {
      const env = {
        NODE_ENV: 'test',
        LOG_DIR: dir,
        LOG_FILE_MAX_BYTES: '4096',
        LOG_FILE_MAX_FILES: '2',
      };
      const off = createAppLogger(loadConfig({ ...env, FILE_LOGGING: 'false' }));
      expect(off.transports.some((t) => t instanceof transports.File)).toBe(false);

      const on = createAppLogger(loadConfig({ ...env, FILE_LOGGING: 'true' }));
      for (const t of on.transports) if (t instanceof transports.Console) t.silent = true;
      const file = on.transports.find((t) => t instanceof transports.File);
      expect(file).toMatchObject({ maxsize: 4096, maxFiles: 2 });
      on.info('to the file', { context: 'Test' });
      const path = join(dir, 'postroom.log');
      for (
        let i = 0;
        i < 100 && !(existsSync(path) && readFileSync(path, 'utf8').includes('to the file'));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(JSON.parse(readFileSync(path, 'utf8').trim().split('\n')[0])).toMatchObject({
        message: 'to the file',
        context: 'Test',
        level: 'info',
      });
      on.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
