import { errorCodes } from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
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

type ParserDone = (err: Error | null, body?: unknown) => void;

const { FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_CONTENT_LENGTH } = errorCodes;

/**
 * Reads a JSON body as Fastify's own reader does (the route's bodyLimit, the
 * declared length checked against the bytes received), with one difference:
 * a body declared above offloadBytes is written chunk by chunk into shared
 * memory as it arrives, so that the body-parse thread reads it where it is.
 * Fastify's reader joins the chunks at the end in one copy, and a 13 MB copy
 * on the event loop is a pause every other request waits through. Answers a
 * Buffer for a body to parse here, a Uint8Array over shared memory otherwise.
 */
function readBody(
  request: FastifyRequest,
  payload: IncomingMessage,
  offloadBytes: number,
  done: (err: Error | null, body?: Buffer | Uint8Array) => void,
): void {
  const limit =
    request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit ?? 1_048_576;
  const declared = Number(request.headers['content-length']);
  if (declared > limit) {
    done(new FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  const shared = declared > offloadBytes ? new Uint8Array(new SharedArrayBuffer(declared)) : null;
  const chunks: Buffer[] = [];
  let received = 0;
  const stop = () => {
    payload.removeListener('data', onData);
    payload.removeListener('end', onEnd);
    payload.removeListener('error', onEnd);
  };
  function onData(chunk: Buffer) {
    if (received + chunk.length > limit) {
      stop();
      done(new FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    if (shared) {
      if (received + chunk.length > shared.length) {
        stop();
        done(new FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      shared.set(chunk, received);
    } else {
      chunks.push(chunk);
    }
    received += chunk.length;
  }
  function onEnd(err?: Error & { statusCode?: number }) {
    stop();
    if (err) {
      if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
      done(err);
      return;
    }
    if (!Number.isNaN(declared) && received !== declared) {
      done(new FST_ERR_CTP_INVALID_CONTENT_LENGTH());
      return;
    }
    if (shared) {
      done(null, shared);
      return;
    }
    const whole = Buffer.concat(chunks, received);
    // A chunked body (no declared length) above the offload size still goes to a thread.
    done(
      null,
      whole.length > offloadBytes
        ? new Uint8Array(whole.buffer, whole.byteOffset, received)
        : whole,
    );
  }
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
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
      // Below the event loop: a parse may wait, a health probe or a grid page should not.
      niceIncrement: 10,
    }));
  instance.addHook('onClose', async () => {
    await pool?.destroy();
  });
  const offload = (request: FastifyRequest, bytes: Uint8Array, done: ParserDone) => {
    figures.offloaded++;
    const task: BodyParseTask = { bytes, prepare: routePreparation(request), limits };
    threads()
      .run(task)
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
  };
  const inline = (bytes: Buffer, done: ParserDone) => {
    figures.inline++;
    try {
      done(null, parseJsonBody(bytes.toString('utf8'), limits));
    } catch (e) {
      figures.refused++;
      done(e instanceof JsonBodyError ? apiError(e.body) : (e as Error));
    }
  };
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser(
    'application/json',
    (request: FastifyRequest, payload: IncomingMessage, done: ParserDone) => {
      readBody(request, payload, opts.offloadBytes, (err, body) => {
        if (err) done(err);
        else if (body instanceof Buffer) inline(body, done);
        else offload(request, body as Uint8Array, done);
      });
    },
  );
  return () => ({ ...figures, threadQueue: pool?.queueSize ?? 0 });
}
