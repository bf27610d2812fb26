import { Injectable } from '@nestjs/common';
import type { Principal } from '../../core/context/request-context.service';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import { PermissionService } from '../permission/permission.service';
import type { AssignMailDto } from './dto/assign-mail.dto';
import type { MailActionDto } from './dto/mail-action.dto';
import type { MailStatusDto } from './dto/mail-status.dto';
import type { MailStatus, TransitionResult } from './mail-workflow';
import { assignMove, statusMove, unassignMove } from './mail-workflow';
import { MailRepository } from './mail.repository';
import { MailService, versionConflict } from './mail.service';

function allowed(r: TransitionResult, parameter: string): MailStatus {
  if (r.ok) return r.to;
  throw ApiError.conflict(
    'MAIL_TRANSITION_NOT_ALLOWED',
    `${parameter}: the mail cannot move from ${r.from} to ${r.to}: ${r.reason}`,
    parameter,
  );
}

/** Assignment and the status workflow of mails (rules in mail-workflow.ts). */
@Injectable()
export class MailWorkflowService {
  constructor(
    private readonly db: Db,
    private readonly mails: MailService,
    private readonly repo: MailRepository,
    private readonly permissions: PermissionService,
    private readonly audit: AuditService,
  ) {}

  async assign(caller: Principal, id: number, dto: AssignMailDto) {
    const access = await this.permissions.require('mail', 'assign');
    if (access.isPlatformAdmin) {
      // assigned_by must be a member of the mail's organization (a composite
      // foreign key keeps tenants apart); a platform administrator is in none.
      throw new ApiError(
        403,
        'MAIL_ASSIGNER_NOT_MEMBER',
        "Platform administrators belong to no organization, and the assigner must be a member of the mail's: sign in as a member to assign",
      );
    }
    await this.db.transaction(async (q) => {
      const current = await this.mails.lockForChange(q, caller, id, dto.version);
      const status = allowed(assignMove(current.status), 'id');
      if (!(await this.repo.isActiveMember(q, dto.userId, current.organization_id))) {
        throw ApiError.badRequest(
          'VALIDATION_ASSIGNEE',
          `userId: user ${dto.userId} is not an active member of the mail's organization`,
          'userId',
        );
      }
      const v = await this.repo.assign(q, id, current.version, {
        assignedTo: dto.userId,
        assignedBy: access.userId,
        status,
      });
      if (v === undefined) throw versionConflict(current.version, dto.version ?? current.version);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        action: 'assign',
        changes: {
          assigned_to: { from: current.assigned_to, to: dto.userId },
          ...(status !== current.status ? { status: { from: current.status, to: status } } : {}),
        },
      });
    });
    return this.mails.get(caller, id);
  }

  async unassign(caller: Principal, id: number, dto: MailActionDto) {
    await this.permissions.require('mail', 'assign');
    await this.db.transaction(async (q) => {
      const current = await this.mails.lockForChange(q, caller, id, dto.version);
      const status = allowed(unassignMove(current.status), 'id');
      const v = await this.repo.unassign(q, id, current.version, status);
      if (v === undefined) throw versionConflict(current.version, dto.version ?? current.version);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        action: 'unassign',
        changes: {
          assigned_to: { from: current.assigned_to, to: null },
          status: { from: current.status, to: status },
        },
      });
    });
    return this.mails.get(caller, id);
  }

  /** Moves the status: with mail edit rights, or as the mail's assignee working it. */
  async setStatus(caller: Principal, id: number, dto: MailStatusDto) {
    const access = await this.permissions.access();
    await this.db.transaction(async (q) => {
      const current = await this.mails.lockForChange(q, caller, id, dto.version);
      const mayEdit = this.permissions.can(access, 'mail', 'edit');
      if (!mayEdit && current.assigned_to !== access.userId) {
        throw ApiError.forbidden('You may not edit mail records, nor is this mail assigned to you');
      }
      const status = allowed(statusMove(current.status, dto.status as MailStatus), 'status');
      const v = await this.repo.update(q, id, current.version, { status });
      if (v === undefined) throw versionConflict(current.version, dto.version ?? current.version);
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        action: 'status',
        changes: { status: { from: current.status, to: status } },
      });
    });
    return this.mails.get(caller, id);
  }
}
