import type { LoggerService } from '@nestjs/common';
import { ClsServiceManager } from 'nestjs-cls';
import { createLogger, format, transports } from 'winston';
import type { Logger, transport as Transport } from 'winston';
import type { AppConfig } from '../config/config.schema';

/**
 * Every line written inside a request (or a queue job) carries its id, and its
 * trace id when tracing is on. Read from the request context when the line is
 * written, so no caller has to pass them.
 */
const requestId = format((info) => {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return info;
  if (info.requestId === undefined) {
    const id = cls.getId();
    if (id) info.requestId = id;
  }
  if (info.traceId === undefined) {
    const traceId: unknown = cls.get('traceId');
    if (typeof traceId === 'string') info.traceId = traceId;
  }
  return info;
});

/**
 * The process logger: JSON (production) or pretty (development); rotated files
 * (LOG_FILE_MAX_BYTES × LOG_FILE_MAX_FILES) only when FILE_LOGGING is on.
 * `extra` transports are for tests that read what is logged.
 */
export function createAppLogger(cfg: AppConfig, extra: Transport[] = []): Logger {
  const console = new transports.Console({
    format:
      cfg.log.format === 'json'
        ? format.combine(format.timestamp(), format.json())
        : format.combine(
            format.timestamp({ format: 'HH:mm:ss.SSS' }),
            format.colorize(),
            format.printf(({ timestamp, level, message, context, ...rest }) => {
              const extraFields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
              const ctx = typeof context === 'string' ? `[${context}] ` : '';
              return `${String(timestamp)} ${level} ${ctx}${String(message)}${extraFields}`;
            }),
          ),
  });
  const logger = createLogger({
    level: cfg.log.level,
    format: requestId(),
    transports: [console, ...extra],
  });
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

type Fields = Record<string, unknown>;

/** A message, or an object with a `message` and fields of their own (request log lines). */
function entry(message: unknown, context: string | undefined): [string, Fields] {
  if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
    const { message: text, ...fields } = message as Fields;
    return [typeof text === 'string' ? text : JSON.stringify(text ?? ''), { context, ...fields }];
  }
  return [String(message), { context }];
}

/** Nest's logger interface on top of winston. */
export class WinstonNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info(...entry(message, context));
  }
  error(message: unknown, trace?: string, context?: string): void {
    const [text, fields] = entry(message, context);
    this.logger.error(text, { ...fields, trace });
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(...entry(message, context));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(...entry(message, context));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.debug(...entry(message, context));
  }
}
