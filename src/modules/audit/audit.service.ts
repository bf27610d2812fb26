import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { RequestContext } from '../../core/context/request-context.service';
import type { Queryable } from '../../core/database/db.service';
import { GridService } from '../../core/grid/grid.service';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { ApiError } from '../../core/http/api-error';
import { PermissionService } from '../permission/permission.service';
import { auditGrid } from './audit.grid';
import type { AuditEntry } from './audit.repository';
import { AuditRepository } from './audit.repository';

/** Records who changed what, inside the transaction of the change; the read-only audit grid. */
@Injectable()
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly ctx: RequestContext,
    private readonly grid: GridService,
    private readonly permissions: PermissionService,
  ) {}

  async record(
    q: Queryable,
    entry: Omit<AuditEntry, 'actorId' | 'requestId'> & { actorId?: number | null },
  ): Promise<void> {
    await this.repo.insert(q, {
      ...entry,
      actorId: entry.actorId ?? this.ctx.principal?.userId ?? null,
      requestId: this.ctx.requestId,
    });
  }

  async list(caller: Principal, query: RawQuery) {
    await this.permissions.requireTab('audit');
    return this.grid.list(auditGrid, caller, query);
  }

  async values(caller: Principal, column: string, query: RawQuery) {
    await this.permissions.requireTab('audit');
    return this.grid.values(auditGrid, caller, column, query);
  }

  async get(caller: Principal, id: number) {
    const row = await this.grid.item(auditGrid, caller, id);
    if (!row) throw ApiError.notFound('Audit entry', id);
    return row;
  }
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
