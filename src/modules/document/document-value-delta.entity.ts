import { Entity } from 'typeorm';
import { DocumentValueTally } from './document-value-count.entity';

/** A change to a kept count, written by the documents triggers and folded in by the compaction. */
@Entity({ name: 'document_value_deltas' })
export class DocumentValueDelta extends DocumentValueTally {}
