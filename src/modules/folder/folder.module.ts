import { Module } from '@nestjs/common';
import { FolderRepository } from './folder.repository';
import { FolderService } from './folder.service';

@Module({
  providers: [FolderRepository, FolderService],
  exports: [FolderService],
})
export class FolderModule {}
