import { Module } from '@nestjs/common';
import { DocumentValueCountsCompactor } from './document-value-counts.compactor';
import { DocumentValueCountsRepository } from './document-value-counts.repository';

/** The worker side of the documents' kept counts: their compaction. */
@Module({
  providers: [DocumentValueCountsRepository, DocumentValueCountsCompactor],
  exports: [DocumentValueCountsRepository],
})
export class DocumentValueCountsModule {}
