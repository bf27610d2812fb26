import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { FolderModule } from '../folder/folder.module';
import { MailController } from './mail.controller';
import { Mail } from './mail.entity';
import { MailRepository } from './mail.repository';
import { MailWorkflowService } from './mail-workflow.service';
import { MailService } from './mail.service';

@Module({
  imports: [TypeOrmModule.forFeature([Mail]), FolderModule, AuditModule],
  controllers: [MailController],
  providers: [MailRepository, MailService, MailWorkflowService],
  exports: [MailService],
})
export class MailModule {}
