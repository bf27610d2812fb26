import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { RoleController } from './role.controller';
import { RoleRepository } from './role.repository';
import { RoleService } from './role.service';

/** Roles and grants administration (the admin hub); PermissionService comes from the global PermissionModule. */
@Module({
  imports: [AuditModule],
  controllers: [RoleController],
  providers: [RoleRepository, RoleService],
})
export class RoleModule {}
