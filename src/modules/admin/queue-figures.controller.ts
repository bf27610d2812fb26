import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { QueueFigures } from '../../core/queue/queue-status.service';
import { QueueStatus } from '../../core/queue/queue-status.service';
import { PermissionService } from '../permission/permission.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queues')
export class QueueFiguresController {
  constructor(
    private readonly queues: QueueStatus,
    private readonly permissions: PermissionService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every queue: live workers (host:pid) and jobs waiting, active, delayed and failed',
  })
  @ApiOkResponse({ description: 'The figures by queue name' })
  @ApiForbiddenResponse({ description: 'Needs access to the admin hub' })
  @ApiServiceUnavailableResponse({
    description: 'QUEUE_UNAVAILABLE (Retry-After): Redis did not answer within a second',
  })
  async get(): Promise<Record<string, QueueFigures>> {
    await this.permissions.requireAdminHub();
    return this.queues.figuresWithin();
  }
}
