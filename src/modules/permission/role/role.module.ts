import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { RoleController } from './role.controller';
import { RoleHandoutRepository } from './role-handout.repository';
import { RoleHandoutService } from './role-handout.service';
import { RoleRepository } from './role.repository';
import { RoleService } from './role.service';

/** Roles and grants administration (the admin hub); PermissionService comes from the global PermissionModule. */
@Module({
  imports: [AuditModule],
  controllers: [RoleController],
  providers: [RoleRepository, RoleService, RoleHandoutRepository, RoleHandoutService],
  exports: [RoleHandoutService],
})
export class RoleModule {}
