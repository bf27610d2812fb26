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
import { Requires } from '../permission/policy.decorator';
import { ADMIN_HUB } from '../permission/resource';
import { PoolReportDto } from './pool-report.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/pool-metrics')
export class PoolMetricsController {
  constructor(private readonly monitor: PoolMonitor) {}

  @Get()
  @Requires(ADMIN_HUB)
  @ApiOperation({
    summary:
      "This process's database pool: totals, acquire waits, timeouts, utilization alert, the server's view and a 10-minute history",
  })
  @ApiOkResponse({ type: PoolReportDto, description: 'The pool report' })
  @ApiForbiddenResponse({ description: 'Needs access to the admin hub' })
  get(): Promise<PoolReport> {
    return this.monitor.report();
  }
}
