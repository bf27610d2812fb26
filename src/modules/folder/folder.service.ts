import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import type { Action, UserAccess } from '../permission/permission.types';
import { PermissionService } from '../permission/permission.service';
import type { FolderRef } from './folder.repository';
import { FolderRepository } from './folder.repository';

@Injectable()
export class FolderService {
  constructor(
    private readonly repo: FolderRepository,
    private readonly permissions: PermissionService,
  ) {}

  /**
   * The folder a record is being filed into, checked: in the caller's organization
   * (any, for platform admins), and the caller holds `action` on it or an ancestor.
   * `field` names the request field in the 400/403.
   */
  async requireForFiling(
    access: UserAccess,
    folderId: number,
    action: Action,
    field: string,
    q?: Queryable,
  ): Promise<FolderRef> {
    const folder = await this.repo.findRef(
      folderId,
      access.isPlatformAdmin ? null : access.organizationId,
      q,
    );
    if (!folder)
      throw ApiError.badRequest(
        'FOLDER_NOT_FOUND',
        `${field}: folder ${folderId} does not exist in your organization`,
        field,
      );
    // System folders (Inbox, Archive) belong to every member: the entity-type grant decides.
    if (
      folder.systemKey === null &&
      !(await this.permissions.canInFolder(access, folder.path, action))
    ) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `${field}: you may not ${action} in folder ${folderId}`,
        field,
      );
    }
    return folder;
  }
}
