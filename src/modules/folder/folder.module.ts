import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { FolderController } from './folder.controller';
import { Folder } from './folder.entity';
import { FolderRepository } from './folder.repository';
import { FolderService } from './folder.service';

@Module({
  imports: [TypeOrmModule.forFeature([Folder]), AuditModule],
  controllers: [FolderController],
  providers: [FolderRepository, FolderService],
  exports: [FolderService],
})
export class FolderModule {}
