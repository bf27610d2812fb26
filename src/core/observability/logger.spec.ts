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
});
