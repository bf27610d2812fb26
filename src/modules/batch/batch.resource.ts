import { defineResource, grant } from '../permission/resource';
import { progressOf } from './batch-progress';
import { batchGrid } from './batch.grid';
import { BatchDetailsDto } from './dto/batch-details.dto';

export const batchResource = defineResource({
  grid: batchGrid,
  noun: 'Batch',
  tab: 'batch',
  policy: {
    read: grant('batch', 'view'),
    create: grant('batch', 'create'),
    cancel: grant('batch', 'edit'),
    retry: grant('batch', 'edit'),
  },
  rows: { tenant: 'b.organization_id' },
  item: { details: (row) => ({ progress: progressOf(row) }), detailsType: BatchDetailsDto },
});
