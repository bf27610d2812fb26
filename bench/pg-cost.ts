import { Client } from 'pg';
import { cpuMs } from './child-process';

/** PostgreSQL's side of one measured run, per answered request. */
export interface PgCost {
  /** CPU time (user + system) of the database's client backends, µs. */
  backendCpuUs: number;
  /** Rows the executor read (sequential and index scans), and fetched by index. */
  tuplesReturned: number;
  tuplesFetched: number;
  /** Shared buffers found in memory, and read from the OS. */
  blocksHit: number;
  blocksRead: number;
}

interface Snapshot {
  cpuByPid: Map<number, number>;
  returned: number;
  fetched: number;
  hit: number;
  read: number;
}

/**
 * Reads what PostgreSQL spent on the bench database between two points: the
 * CPU time of its client backends from /proc (this machine runs the server),
 * and the tuple and buffer counters of pg_stat_database. Backends report those
 * counters when they go idle, at most once a second (a busy one's last second
 * shows up to ten seconds later): figures of a 20-second run are within a few
 * per cent.
 */
export class PgCostMeter {
  private client: Client | undefined;

  constructor(private readonly databaseUrl: string) {}

  async snapshot(): Promise<Snapshot | undefined> {
    try {
      if (!this.client) {
        this.client = new Client({ connectionString: this.databaseUrl });
        this.client.on('error', () => undefined);
        await this.client.connect();
      }
      const { rows } = await this.client.query<{
        pids: number[];
        returned: string;
        fetched: string;
        hit: string;
        read: string;
      }>(
        `SELECT (SELECT coalesce(array_agg(pid), '{}') FROM pg_stat_activity
                  WHERE datname = current_database() AND backend_type = 'client backend'
                    AND pid <> pg_backend_pid()) AS pids,
                tup_returned AS returned, tup_fetched AS fetched, blks_hit AS hit, blks_read AS read
           FROM pg_stat_database WHERE datname = current_database()`,
      );
      const r = rows[0];
      const cpuByPid = new Map<number, number>();
      for (const pid of r.pids) {
        const ms = cpuMs(pid);
        if (ms !== undefined) cpuByPid.set(pid, ms);
      }
      return {
        cpuByPid,
        returned: Number(r.returned),
        fetched: Number(r.fetched),
        hit: Number(r.hit),
        read: Number(r.read),
      };
    } catch {
      return undefined; // not this machine's server, or no access: reported as unknown
    }
  }

  /** What was spent between two snapshots (backends that came meanwhile count whole). */
  static between(before: Snapshot, after: Snapshot): PgCost {
    let cpu = 0;
    for (const [pid, ms] of after.cpuByPid) cpu += ms - (before.cpuByPid.get(pid) ?? 0);
    return {
      backendCpuUs: cpu * 1000,
      tuplesReturned: after.returned - before.returned,
      tuplesFetched: after.fetched - before.fetched,
      blocksHit: after.hit - before.hit,
      blocksRead: after.read - before.read,
    };
  }

  async close(): Promise<void> {
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}

/** Sums of several runs. */
export function addCost(a: PgCost, b: PgCost): PgCost {
  return {
    backendCpuUs: a.backendCpuUs + b.backendCpuUs,
    tuplesReturned: a.tuplesReturned + b.tuplesReturned,
    tuplesFetched: a.tuplesFetched + b.tuplesFetched,
    blocksHit: a.blocksHit + b.blocksHit,
    blocksRead: a.blocksRead + b.blocksRead,
  };
}

/** The figures per request. */
export function perRequest(c: PgCost, requests: number): PgCost {
  const n = Math.max(1, requests);
  return {
    backendCpuUs: c.backendCpuUs / n,
    tuplesReturned: c.tuplesReturned / n,
    tuplesFetched: c.tuplesFetched / n,
    blocksHit: c.blocksHit / n,
    blocksRead: c.blocksRead / n,
  };
}

let shared: PgCostMeter | undefined;

/** The bench's meter (set by run.ts for the bench database); loads measure with it. */
export function usePgCostMeter(meter: PgCostMeter | undefined): void {
  shared = meter;
}

export function pgCostMeter(): PgCostMeter | undefined {
  return shared;
}

/**
 * PgCostMeter on several servers at once (the primary and its read replicas,
 * all on this machine): what each spent between two points, by name.
 */
export class ServerCostMeters {
  private readonly meters: Map<string, PgCostMeter>;

  /** `urls`: each server's URL of the bench database, by name (`primary`, `replica-0`, …). */
  constructor(urls: Record<string, string>) {
    this.meters = new Map(Object.entries(urls).map(([name, url]) => [name, new PgCostMeter(url)]));
  }

  async snapshot(): Promise<Map<string, Snapshot | undefined>> {
    const out = new Map<string, Snapshot | undefined>();
    for (const [name, meter] of this.meters) out.set(name, await meter.snapshot());
    return out;
  }

  /** Each server's cost between two snapshots (a server unreadable at either point is left out). */
  static between(
    before: Map<string, Snapshot | undefined>,
    after: Map<string, Snapshot | undefined>,
  ): Record<string, PgCost> {
    const out: Record<string, PgCost> = {};
    for (const [name, b] of before) {
      const a = after.get(name);
      if (b && a) out[name] = PgCostMeter.between(b, a);
    }
    return out;
  }

  async close(): Promise<void> {
    for (const meter of this.meters.values()) await meter.close();
  }
}
