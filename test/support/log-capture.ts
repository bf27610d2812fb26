import { Writable } from 'node:stream';
import { format, transports } from 'winston';
import type { AppConfig } from '../../src/core/config/config.schema';
import { loadConfig } from '../../src/core/config/config.schema';
import { createAppLogger, WinstonNestLogger } from '../../src/core/observability/logger';

export interface CapturedLine {
  level: string;
  message: string;
  context?: string;
  requestId?: string;
  [field: string]: unknown;
}

/**
 * The application's own logger (winston, the same formats), with its lines
 * also kept in memory for the test to read. The console stays quiet (level error).
 */
export function captureLogs(cfg: AppConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error' })) {
  const lines: CapturedLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as CapturedLine);
      done();
    },
  });
  const logger = createAppLogger(cfg, [
    new transports.Stream({ stream, level: 'debug', format: format.json() }),
  ]);
  // The console transport keeps the configured level; the capture sees everything.
  logger.level = 'debug';
  for (const t of logger.transports) if (t instanceof transports.Console) t.level = 'error';
  return { lines, nest: new WinstonNestLogger(logger), logger };
}
