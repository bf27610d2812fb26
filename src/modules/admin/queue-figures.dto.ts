import { ApiProperty } from '@nestjs/swagger';
import type { QueueFigures } from '../../core/queue/queue-status.service';

export class QueueFiguresDto implements QueueFigures {
  @ApiProperty({ type: 'integer' }) liveWorkers!: number;
  @ApiProperty({ type: [String], description: 'host:pid of each live worker' }) workers!: string[];
  @ApiProperty({ type: 'integer' }) waiting!: number;
  @ApiProperty({ type: 'integer' }) active!: number;
  @ApiProperty({ type: 'integer' }) delayed!: number;
  @ApiProperty({ type: 'integer' }) failed!: number;
}
