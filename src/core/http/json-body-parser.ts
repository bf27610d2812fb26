import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Piscina } from 'piscina';
import { ApiError } from './api-error';
import type { ApiErrorBody } from './api-error';
import { JsonBodyError, parseJsonBody } from './json-body';
import type { JsonBodyLimits } from './json-body';
import { DEFAULT_JSON_LIMITS } from './json-body';

/** What a body-parse thread is given: the raw bytes and, for some routes, a preparation. */
export interface BodyParseTask {
  bytes: Uint8Array;
  /** The name of the route's body preparation (see body-preparations), if any. */
  prepare?: string;
  limits: JsonBodyLimits;
}

export type BodyParseOutcome =
  { ok: true; body: unknown; prepared: boolean } | { ok: false; error: ApiErrorBody };

export interface JsonBodyParserOptions {
  /** Bodies above this many bytes are parsed on the threads. */
  offloadBytes: number;
  threads: number;
  /** The compiled body-parse worker (a .ts file when run from the sources: see workerExecArgv). */
  workerFile: string;
  /** Node options of the threads (a TypeScript require hook under the test runner). */
  workerExecArgv?: string[];
  limits?: JsonBodyLimits;
}

/** Bodies a body-parse thread prepared (validated and reshaped) for their route. */
const prepared = new WeakSet<object>();

/** True when the body was prepared on a body-parse thread by the route's preparation. */
export function wasPrepared(body: unknown): boolean {
  return typeof body === 'object' && body !== null && prepared.has(body);
}

function routePreparation(request: FastifyRequest): string | undefined {
  const config = request.routeOptions.config as { bodyPrepare?: unknown } | undefined;
  return typeof config?.bodyPrepare === 'string' ? config.bodyPrepare : undefined;
}

const apiError = (e: ApiErrorBody) => new ApiError(e.statusCode, e.code, e.message, e.parameter);

/** Figures of the body-parse threads for /metrics. */
export interface BodyParseFigures {
  offloaded: number;
  inline: number;
  refused: number;
  threadQueue: number;
}

/**
 * Replaces Fastify's JSON parser: every application/json body goes through
 * parseJsonBody (depth, size and prototype-key checks, ApiError 400s). A body
 * above offloadBytes is parsed on a small worker-thread pool instead of the
 * event loop, and on a route with a body preparation (BodyLimit's `prepare`)
 * validated and reshaped there too: the event loop then receives only what
 * the handler needs. The pool starts with the first such body.
 */
export function registerJsonBodyParser(
  instance: FastifyInstance,
  opts: JsonBodyParserOptions,
): () => BodyParseFigures {
  const limits = opts.limits ?? DEFAULT_JSON_LIMITS;
  let pool: Piscina | undefined;
  const figures = { offloaded: 0, inline: 0, refused: 0 };
  const threads = () =>
    (pool ??= new Piscina({
      filename: opts.workerFile,
      minThreads: opts.threads,
      maxThreads: opts.threads,
      idleTimeout: 60_000,
      execArgv: opts.workerExecArgv,
    }));
  instance.addHook('onClose', async () => {
    await pool?.destroy();
  });
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (
      request: FastifyRequest,
      raw: string | Buffer,
      done: (err: Error | null, body?: unknown) => void,
    ) => {
      const bytes = typeof raw === 'string' ? Buffer.from(raw) : raw;
      if (bytes.length <= opts.offloadBytes) {
        figures.inline++;
        try {
          done(null, parseJsonBody(bytes.toString('utf8'), limits));
        } catch (e) {
          figures.refused++;
          done(e instanceof JsonBodyError ? apiError(e.body) : (e as Error));
        }
        return;
      }
      figures.offloaded++;
      const task: BodyParseTask = { bytes, prepare: routePreparation(request), limits };
      // A body that owns its memory is handed over, not copied (Fastify's concatenation usually does).
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
      threads()
        .run(task, whole ? { transferList: [bytes.buffer as ArrayBuffer] } : {})
        .then(
          (outcome: BodyParseOutcome) => {
            if (!outcome.ok) {
              figures.refused++;
              done(apiError(outcome.error));
              return;
            }
            const body = outcome.body;
            if (outcome.prepared && typeof body === 'object' && body !== null) prepared.add(body);
            done(null, body);
          },
          (e: unknown) => done(e instanceof Error ? e : new Error(String(e))),
        );
    },
  );
  return () => ({ ...figures, threadQueue: pool?.queueSize ?? 0 });
}
