import { Injectable } from '@nestjs/common';
import { Db } from '../../core/database/db.service';
import { ApiError } from '../../core/http/api-error';
import { AuditService } from '../audit/audit.service';
import { PolicyEvaluator } from '../permission/policy-evaluator.service';
import type { AssignMailDto } from './dto/assign-mail.dto';
import type { MailActionDto } from './dto/mail-action.dto';
import type { MailStatusDto } from './dto/mail-status.dto';
import type { MailStatus, TransitionResult } from './mail-workflow';
import { assignMove, statusMove, unassignMove } from './mail-workflow';
import { MailRepository } from './mail.repository';
import { mailResource } from './mail.resource';
import { MailService } from './mail.service';

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
    private readonly policy: PolicyEvaluator,
    private readonly audit: AuditService,
  ) {}

  async assign(id: number, dto: AssignMailDto) {
    const access = await this.policy.access();
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
      const current = await this.mails.lockForChange(q, id, 'assign', dto.version);
      const status = allowed(assignMove(current.status), 'id');
      if (!(await this.repo.isActiveMember(q, dto.userId, current.organization_id))) {
        throw ApiError.badRequest(
          'VALIDATION_ASSIGNEE',
          `userId: user ${dto.userId} is not an active member of the mail's organization`,
          'userId',
        );
      }
      // The assignee reads the mail by his own rights, not because it would be his.
      const readable = await this.policy.ownReadScope(
        mailResource,
        dto.userId,
        current.organization_id,
      );
      if (!readable || !(await this.repo.inScope(q, id, readable))) {
        throw new ApiError(
          422,
          'MAIL_ASSIGNEE_CANNOT_READ',
          `userId: user ${dto.userId} may not read this mail`,
          'userId',
        );
      }
      const v = await this.repo.assign(q, id, current.version, {
        assignedTo: dto.userId,
        assignedBy: access.userId,
        status,
      });
      if (v === undefined) throw ApiError.versionConflict('Mail');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        folderId: current.folder_id,
        action: 'assign',
        changes: {
          assigned_to: { from: current.assigned_to, to: dto.userId },
          ...(status !== current.status ? { status: { from: current.status, to: status } } : {}),
        },
      });
    });
    return this.mails.get(id);
  }

  async unassign(id: number, dto: MailActionDto) {
    await this.db.transaction(async (q) => {
      const current = await this.mails.lockForChange(q, id, 'unassign', dto.version);
      const status = allowed(unassignMove(current.status), 'id');
      const v = await this.repo.unassign(q, id, current.version, status);
      if (v === undefined) throw ApiError.versionConflict('Mail');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        folderId: current.folder_id,
        action: 'unassign',
        changes: {
          assigned_to: { from: current.assigned_to, to: null },
          status: { from: current.status, to: status },
        },
      });
    });
    return this.mails.get(id);
  }

  /** Moves the status: with mail edit rights, or as the mail's assignee working it. */
  async setStatus(id: number, dto: MailStatusDto) {
    await this.db.transaction(async (q) => {
      const current = await this.mails.lockForChange(q, id, 'status', dto.version);
      const status = allowed(statusMove(current.status, dto.status as MailStatus), 'status');
      const v = await this.repo.update(q, id, current.version, { status });
      if (v === undefined) throw ApiError.versionConflict('Mail');
      await this.audit.record(q, {
        organizationId: current.organization_id,
        entityType: 'mail',
        entityId: id,
        folderId: current.folder_id,
        action: 'status',
        changes: { status: { from: current.status, to: status } },
      });
    });
    return this.mails.get(id);
  }
}
