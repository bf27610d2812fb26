import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../../core/database/db.service';
import type { Action, UserAccess } from '../permission.types';
import type { RoleGrantsDto } from './dto/role-grants.dto';
import type { Handout } from './role-handout';
import { checkRoleHandout, grantsAdded, handsOutAnything } from './role-handout';
import { RoleHandoutRepository } from './role-handout.repository';
import { parseEntityActions } from './role-grants';

/** A write that hands out roles, grants or admin rights, as the services know it. */
export interface HandoutWrite {
  /** The organization the user or role belongs to. */
  organizationId: number;
  /** The user whose roles change (absent for a new user or a role write). */
  account?: number;
  orgAdmin?: boolean;
  /** A user's role set: the one held (empty for a new user) and the one asked for. */
  roleIds?: { before: number[]; after: number[] };
  adminHubFlag?: boolean;
  /** Grants written into a role, and the role's grants before (absent for a new role). */
  grants?: RoleGrantsDto;
  grantsBefore?: {
    entity_actions: [string, Action][];
    tabs: string[];
    folder_grants: { folderId: number; actions: Action[] }[];
  };
}

/**
 * Loads what the role handout rules need to know about a write (the roles
 * given and taken, the folders granted) and checks it: 403 when refused.
 * Granters the table allows everything cost no query.
 */
@Injectable()
export class RoleHandoutService {
  constructor(private readonly repo: RoleHandoutRepository) {}

  async enforce(access: UserAccess, write: HandoutWrite, q?: Queryable): Promise<void> {
    if (handsOutAnything(access)) return;
    const org = write.organizationId;
    const handout: Handout = {
      account: write.account,
      orgAdmin: write.orgAdmin,
      adminHubFlag: write.adminHubFlag,
    };
    if (write.roleIds) {
      const { before, after } = write.roleIds;
      const given = after.filter((id) => !before.includes(id));
      const taken = before.filter((id) => !after.includes(id));
      const roles = await this.repo.roles(org, [...given, ...taken], q);
      handout.rolesGiven = roles.filter((r) => given.includes(r.id));
      handout.rolesTaken = roles.filter((r) => taken.includes(r.id));
    }
    if (write.grants) {
      const g = write.grants;
      const folderIds = (g.folderGrants ?? []).map((f) => f.folderId);
      const paths = await this.repo.folderPaths(org, folderIds, q);
      const before = write.grantsBefore;
      handout.grantsAdded = grantsAdded(
        {
          entityActions: g.entityActions ? parseEntityActions(g.entityActions) : undefined,
          tabs: g.tabs,
          // A folder not of the organization (answered 400 later) is checked as a root of its own.
          folderGrants: g.folderGrants?.map((f) => ({
            folderId: f.folderId,
            path: paths.get(f.folderId) ?? [f.folderId],
            actions: f.actions,
          })),
        },
        {
          entityActions: before?.entity_actions ?? [],
          tabs: before?.tabs ?? [],
          folderGrants: (before?.folder_grants ?? []).flatMap((f) =>
            f.actions.map((a): [number, Action] => [f.folderId, a]),
          ),
        },
      );
    }
    checkRoleHandout(access, handout);
  }
}
