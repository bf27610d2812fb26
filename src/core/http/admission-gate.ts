import { RouteConfig } from '@nestjs/platform-fastify';
import { CORS_EXPOSED_HEADERS } from './cors';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { ApiErrorBody } from './api-error';
import { isProbePath } from './probe-paths';

const WAITED = Symbol('postroomAdmissionWaitMs');
type Waited = { [WAITED]?: number };

/**
 * How long the request waited at a gate before it was admitted, in ms (0: it
 * went straight in). Kept on the raw request only when it waited, so a request
 * that did not pays nothing for it.
 */
export function admissionWaitMs(request: FastifyRequest): number {
  return (request.raw as Waited)[WAITED] ?? 0;
}

/** Routes that wait in a lane of their own instead of the main gate. */
export type AdmissionLaneName = 'login';

/**
 * Sends a route to its own admission lane (see attachAdmission). Chosen by the
 * matched route, so no spelling of its URL can lead it past its lane.
 */
export const AdmissionLane = (lane: AdmissionLaneName) => RouteConfig({ admissionLane: lane });

function laneOf(request: FastifyRequest): AdmissionLaneName | undefined {
  const config = request.routeOptions.config as { admissionLane?: unknown } | undefined;
  return config?.admissionLane === 'login' ? 'login' : undefined;
}

/** Requests with a heavy body (by Content-Length) and the gate they wait at instead. */
export interface HeavyBodyLane {
  gate: AdmissionGate;
  /** Bodies above this many bytes are heavy. */
  minBytes: number;
}

function isHeavy(request: FastifyRequest, heavy: HeavyBodyLane | undefined): boolean {
  if (!heavy) return false;
  const length = Number(request.headers['content-length']);
  return Number.isFinite(length) && length > heavy.minBytes;
}

/**
 * Adds the gates as the instance's first onRequest hook: call before any other
 * hook. A request whose declared body is heavy waits at the heavy-body gate
 * (its bytes are read only once admitted, so a few large uploads never hold
 * the slots everything else needs); a route with an AdmissionLane waits at
 * that lane's gate (none given: the main one), every other route at `main`
 * (none: not capped); probes never wait.
 */
export function attachAdmission(
  fastify: FastifyInstance,
  main: AdmissionGate | undefined,
  lanes: Partial<Record<AdmissionLaneName, AdmissionGate>> = {},
  heavy?: HeavyBodyLane,
): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    // A busy pod must still say it is alive.
    if (isProbePath(request.url)) {
      done();
      return;
    }
    if (heavy && isHeavy(request, heavy)) {
      heavy.gate.admit(request, reply, done);
      return;
    }
    const lane = laneOf(request);
    const gate = (lane && lanes[lane]) || main;
    if (gate) gate.admit(request, reply, done);
    else done();
  });
}

export interface AdmissionOptions {
  /** Requests handled at once; the others wait in arrival order. */
  maxInFlight: number;
  /** Longest wait for admission; past it the request answers 503 SERVER_BUSY. */
  queueTimeoutMs: number;
  /** Headers every answer carries (security headers), set on the 503s this gate sends itself. */
  headers: readonly (readonly [string, string])[];
  /** Origins CORS allows: the gate's own 503s must be readable by the frontend too. */
  corsOrigins: readonly string[];
  /** The code of its 503s (default SERVER_BUSY) and what it admits, for their message. */
  busyCode?: string;
  admits?: string;
}

interface Waiter {
  request: FastifyRequest;
  reply: FastifyReply;
  admit: () => void;
  queuedAt: number;
  deadline: number;
}

export interface AdmissionFigures {
  maxInFlight: number;
  inFlight: number;
  queued: number;
  /** Requests that had to wait before being admitted. */
  queuedTotal: number;
  /** Requests answered 503 (SERVER_BUSY, or the lane's code) after waiting queueTimeoutMs. */
  shedTotal: number;
  /** Requests whose client went away while they waited (never handled). */
  abandonedTotal: number;
}

/**
 * A cap on the requests one process works on at once, with a first-come
 * first-served queue before it, in Fastify's first hook.
 *
 * Without it a burst of hundreds of connections puts hundreds of requests into
 * the pipeline at once: each holds its context, its parsed query and its
 * promise chain while it waits for one of a few pooled connections, so the
 * process spends more CPU and memory per request (garbage collection) just when
 * it has least to spare, and connections are served in no particular order
 * (long tails). Behind the gate a waiting request is one queue entry: nothing
 * of it has run yet. A request that cannot be admitted within queueTimeoutMs
 * answers 503 with Retry-After and code SERVER_BUSY, so nothing waits unbounded.
 */
export class AdmissionGate {
  private inFlight = 0;
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private queuedTotal = 0;
  private shedTotal = 0;
  private abandonedTotal = 0;
  private readonly cors: ReadonlySet<string>;

  constructor(private readonly opts: AdmissionOptions) {
    if (!Number.isInteger(opts.maxInFlight) || opts.maxInFlight < 1) {
      throw new Error(`maxInFlight must be a positive integer, got ${opts.maxInFlight}`);
    }
    this.cors = new Set(opts.corsOrigins);
  }

  /** Adds the gate as the instance's first onRequest hook, for every route: call before any other hook. */
  attach(fastify: FastifyInstance): void {
    attachAdmission(fastify, this);
  }

  /** Lets the request go on now, or queues it until a slot is free or its wait is over. */
  admit(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (this.inFlight < this.opts.maxInFlight && this.queue.length === 0) {
      this.enter(reply);
      done();
      return;
    }
    this.queuedTotal++;
    const now = performance.now();
    this.queue.push({
      request,
      reply,
      admit: done,
      queuedAt: now,
      deadline: now + this.opts.queueTimeoutMs,
    });
    this.armTimer();
  }

  figures(): AdmissionFigures {
    return {
      maxInFlight: this.opts.maxInFlight,
      inFlight: this.inFlight,
      queued: this.queue.length,
      queuedTotal: this.queuedTotal,
      shedTotal: this.shedTotal,
      abandonedTotal: this.abandonedTotal,
    };
  }

  /** Counts the request in until its answer is finished or its connection closes. */
  private enter(reply: FastifyReply): void {
    this.inFlight++;
    let left = false;
    reply.raw.once('close', () => {
      if (left) return;
      left = true;
      this.inFlight--;
      this.admitNext();
    });
  }

  private admitNext(): void {
    while (this.inFlight < this.opts.maxInFlight && this.queue.length > 0) {
      const next = this.queue.shift() as Waiter;
      if (next.request.raw.socket?.destroyed) {
        this.abandonedTotal++;
        continue;
      }
      (next.request.raw as Waited)[WAITED] = performance.now() - next.queuedAt;
      // Counted in before it runs: its own hooks may answer at once and re-enter here.
      this.enter(next.reply);
      next.admit();
    }
    if (this.queue.length === 0) this.disarmTimer();
  }

  private armTimer(): void {
    if (this.timer || this.queue.length === 0) return;
    const wait = Math.max(0, this.queue[0].deadline - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.shedExpired();
    }, wait);
    this.timer.unref();
  }

  private disarmTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Waiters join in order with the same timeout, so the expired ones are at the front. */
  private shedExpired(): void {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0].deadline <= now) {
      const w = this.queue.shift() as Waiter;
      if (w.request.raw.socket?.destroyed) {
        this.abandonedTotal++;
        continue;
      }
      this.shedTotal++;
      this.busy(w);
    }
    this.armTimer();
  }

  private busy({ request, reply }: Waiter): void {
    const body: ApiErrorBody = {
      statusCode: 503,
      code: this.opts.busyCode ?? 'SERVER_BUSY',
      message: `The server is at capacity (${this.opts.maxInFlight} ${this.opts.admits ?? 'requests'} in flight); the request waited ${this.opts.queueTimeoutMs} ms. Retry shortly.`,
    };
    for (const [name, value] of this.opts.headers) reply.header(name, value);
    const origin = request.headers.origin;
    if (origin && this.cors.has(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      reply.header('vary', 'Origin');
    }
    void reply.code(503).header('retry-after', '1').header('cache-control', 'no-store').send(body);
  }
}
