import { Module } from '@nestjs/common';
import { QueueModule } from '../../core/queue/queue.module';
import { PermissionModule } from '../permission/permission.module';
import { PoolMetricsController } from './pool-metrics.controller';
import { QueueFiguresController } from './queue-figures.controller';

/**
 * The admin hub's platform figures (api and all roles): this process's
 * database pool and the queues' workers and backlog. Read-only views over core
 * monitors, each behind admin-hub access.
 */
@Module({
  imports: [PermissionModule, QueueModule],
  controllers: [PoolMetricsController, QueueFiguresController],
})
export class AdminModule {}
