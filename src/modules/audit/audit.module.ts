import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntry } from './audit-log-entry.entity';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

/** The audit trail's writer; its read routes come from auditResource. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntry])],
  providers: [AuditRepository, AuditService],
  exports: [AuditService],
})
export class AuditModule {}
