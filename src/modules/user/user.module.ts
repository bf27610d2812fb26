import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MeController } from './me.controller';
import { UserController } from './user.controller';
import { UserRepository } from './user.repository';
import { UserService } from './user.service';

@Module({
  imports: [AuditModule],
  controllers: [MeController, UserController],
  providers: [UserRepository, UserService],
  exports: [UserService],
})
export class UserModule {}
