import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PoolMonitor } from '../../core/database/pool-monitor.service';
import type { PoolReport } from '../../core/database/pool-monitor.types';
import { PermissionService } from '../permission/permission.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/pool-metrics')
export class PoolMetricsController {
  constructor(
    private readonly monitor: PoolMonitor,
    private readonly permissions: PermissionService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "This process's database pool: totals, acquire waits, timeouts, utilization alert, the server's view and a 10-minute history",
  })
  @ApiOkResponse({ description: 'The pool report' })
  @ApiForbiddenResponse({ description: 'Needs access to the admin hub' })
  async get(): Promise<PoolReport> {
    await this.permissions.requireAdminHub();
    return this.monitor.report();
  }
}
