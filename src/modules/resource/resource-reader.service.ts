import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import type { SqlStatement } from '../../core/grid/grid-query.builder';
import type { RawQuery } from '../../core/grid/grid-query.parser';
import { GridService } from '../../core/grid/grid.service';
import type { ColumnDescription, ColumnValues, GridPage } from '../../core/grid/grid.types';
import { ApiError } from '../../core/http/api-error';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import type { Resource } from '../permission/resource';

type Row = Record<string, unknown>;

/**
 * Reads of any declared resource: the grid engine under the caller's read
 * scope. The route (PolicyGuard) has already been decided.
 */
@Injectable()
export class ResourceReader {
  constructor(
    private readonly grid: GridService,
    private readonly policy: PolicyEvaluator,
  ) {}

  async list(resource: Resource, query: RawQuery): Promise<GridPage> {
    return this.grid.list(resource.grid, await this.policy.scope(resource), query);
  }

  /** The resource's grid under a scope of the caller's choosing (e.g. a mail's candidate assignees). */
  listIn(resource: Resource, scope: SqlStatement, query: RawQuery): Promise<GridPage> {
    return this.grid.list(resource.grid, scope, query);
  }

  columns(resource: Resource): ColumnDescription[] {
    return this.grid.describe(resource.grid);
  }

  async values(resource: Resource, column: string, query: RawQuery): Promise<ColumnValues> {
    return this.grid.values(resource.grid, await this.policy.scope(resource), column, query);
  }

  /** One row as the grid shows it, 404 when it does not exist or is out of the caller's scope. */
  async item(resource: Resource, id: number, q?: Queryable): Promise<Row> {
    const row = await this.grid.item(resource.grid, await this.policy.scope(resource), id, q);
    if (!row) throw ApiError.notFound(resource.noun, id);
    const details = resource.item === false ? undefined : resource.item?.details;
    return details ? { ...row, ...details(row) } : row;
  }
}
