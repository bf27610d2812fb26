import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RoleModule } from '../permission/role/role.module';
import { MeController } from './me.controller';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

@Module({
  imports: [AuditModule, RoleModule],
  controllers: [MeController, UserController],
  providers: [UserRepository, UserService],
  exports: [UserService],
})
export class UserModule {}
