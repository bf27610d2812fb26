import { Injectable } from '@nestjs/common';
import { RequestContext } from '../../core/context/request-context.service';
import type { Queryable } from '../../core/database/db.service';
import type { AuditEntry } from './audit.repository';
import { AuditRepository } from './audit.repository';

/** Records who changed what, inside the transaction of the change (the grid: auditResource). */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly ctx: RequestContext,
  ) {}

  async record(
    q: Queryable,
    entry: Omit<AuditEntry, 'actorId' | 'requestId'> & { actorId?: number | null },
  ): Promise<void> {
    await this.repo.insert(q, {
      ...entry,
      changes: entry.changes === undefined ? undefined : camelKeys(entry.changes),
      actorId: entry.actorId ?? this.ctx.principal?.userId ?? null,
      requestId: this.ctx.requestId,
    });
  }
}

/** Field names as the API writes them (the changes are shown in audit rows): camelCase. */
function camelKeys(changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(changes)) {
    out[k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

/** Fields of `after` that differ from `before`, as { field: { from, to } }. */
export function diff(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [k, to] of Object.entries(after)) {
    if (to === undefined) continue;
    const from = before[k];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[k] = { from: from ?? null, to };
  }
  return changes;
}
