import { Module } from '@nestjs/common';
import { PermissionModule } from '../permission/permission.module';
import { PoolMetricsController } from './pool-metrics.controller';

/**
 * The admin hub's platform figures (api and all roles): this process's
 * database pool. Read-only views over core monitors, each behind admin-hub
 * access.
 */
@Module({
  imports: [PermissionModule],
  controllers: [PoolMetricsController],
})
export class AdminModule {}
