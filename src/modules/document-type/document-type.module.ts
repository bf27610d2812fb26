import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { DocumentTypeController } from './document-type.controller';
import { DocumentType } from './document-type.entity';
import { DocumentTypeRepository } from './document-type.repository';
import { DocumentTypeService } from './document-type.service';

@Module({
  imports: [TypeOrmModule.forFeature([DocumentType]), AuditModule],
  controllers: [DocumentTypeController],
  providers: [DocumentTypeRepository, DocumentTypeService],
  exports: [DocumentTypeService],
})
export class DocumentTypeModule {}
