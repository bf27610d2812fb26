import type { LoggerService } from '@nestjs/common';
import { createLogger, format, transports } from 'winston';
import type { Logger } from 'winston';
import type { AppConfig } from '../config/config.schema';

/** The process logger: JSON (production) or pretty (development), file output only when switched on. */
export function createAppLogger(cfg: AppConfig): Logger {
  const console = new transports.Console({
    format:
      cfg.log.format === 'json'
        ? format.combine(format.timestamp(), format.json())
        : format.combine(
            format.timestamp({ format: 'HH:mm:ss.SSS' }),
            format.colorize(),
            format.printf(({ timestamp, level, message, context, ...rest }) => {
              const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
              const ctx = typeof context === 'string' ? `[${context}] ` : '';
              return `${String(timestamp)} ${level} ${ctx}${String(message)}${extra}`;
            }),
          ),
  });
  const logger = createLogger({ level: cfg.log.level, transports: [console] });
  if (cfg.log.fileLogging) {
    logger.add(
      new transports.File({
        dirname: cfg.log.dir,
        filename: 'postroom.log',
        maxsize: cfg.log.fileMaxBytes,
        maxFiles: cfg.log.fileMaxFiles,
        tailable: true,
        format: format.combine(format.timestamp(), format.json()),
      }),
    );
  }
  return logger;
}

/** Nest's logger interface on top of winston. */
export class WinstonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(String(message), { context });
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(String(message), { context, trace });
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(String(message), { context });
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(String(message), { context });
  }
  verbose(message: unknown, context?: string): void {
    this.logger.debug(String(message), { context });
  }
}
