import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { FolderModule } from '../folder/folder.module';
import { DocumentController } from './document.controller';
import { DocumentRepository } from './document.repository';
import { DocumentService } from './document.service';

@Module({
  imports: [FolderModule, AuditModule],
  controllers: [DocumentController],
  providers: [DocumentRepository, DocumentService],
  exports: [DocumentService],
})
export class DocumentModule {}
