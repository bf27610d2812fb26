import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { FolderModule } from '../folder/folder.module';
import { BatchController } from './batch.controller';
import { Batch } from './batch.entity';
import { BatchItem } from './batch-item.entity';
import { BatchRepository } from './batch.repository';
import { BatchService } from './batch.service';

@Module({
  imports: [TypeOrmModule.forFeature([Batch, BatchItem]), FolderModule, AuditModule],
  controllers: [BatchController],
  providers: [BatchRepository, BatchService],
  exports: [BatchService],
})
export class BatchModule {}
