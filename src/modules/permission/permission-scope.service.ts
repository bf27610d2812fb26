import { Injectable } from '@nestjs/common';
import type { GridScopeResolver } from '../../core/grid/grid-scope';
import type { GridCaller, GridScopeSpec } from '../../core/grid/grid.types';
import { ApiError } from '../../core/http/api-error';
import { PermissionService } from './permission.service';

/**
 * The grid engine's permission hook: the caller's scope as one predicate
 * (tenant, visible folders, own assignments), bound as parameters, evaluated
 * by PostgreSQL with the rest of the query — never row by row in JavaScript.
 */
@Injectable()
export class PermissionScope implements GridScopeResolver {
  constructor(private readonly permissions: PermissionService) {}

  async predicate(
    _caller: GridCaller,
    spec: GridScopeSpec,
    bind: (v: unknown) => string,
  ): Promise<string> {
    const access = await this.permissions.access();
    if (!this.permissions.canView(access, spec.entityType)) {
      throw ApiError.forbidden(`You may not view ${spec.entityType.replace('_', ' ')} records`);
    }
    if (access.isPlatformAdmin) return 'TRUE';
    const terms = [`${spec.organizationColumn} = ${bind(access.organizationId)}`];
    if (spec.folderColumn && access.viewFolderIds !== null) {
      const alternatives = [`${spec.folderColumn} = ANY(${bind(access.viewFolderIds)}::bigint[])`];
      if (spec.folderOptional) alternatives.push(`${spec.folderColumn} IS NULL`);
      if (spec.assigneeColumn) alternatives.push(`${spec.assigneeColumn} = ${bind(access.userId)}`);
      terms.push(alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`);
    }
    return terms.join(' AND ');
  }
}
