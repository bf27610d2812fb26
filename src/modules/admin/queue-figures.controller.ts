import { Controller, Get } from '@nestjs/common';
import {
  ApiExtraModels,
  getSchemaPath,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { QueueFigures } from '../../core/queue/queue-status.service';
import { QueueStatus } from '../../core/queue/queue-status.service';
import { QueueFiguresDto } from './queue-figures.dto';
import { Requires } from '../permission/policy.decorator';
import { ADMIN_HUB } from '../permission/resource';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/queues')
export class QueueFiguresController {
  constructor(private readonly queues: QueueStatus) {}

  @Get()
  @Requires(ADMIN_HUB)
  @ApiOperation({
    summary: 'Every queue: live workers (host:pid) and jobs waiting, active, delayed and failed',
  })
  @ApiExtraModels(QueueFiguresDto)
  @ApiOkResponse({
    description: 'The figures by queue name',
    schema: { type: 'object', additionalProperties: { $ref: getSchemaPath(QueueFiguresDto) } },
  })
  @ApiForbiddenResponse({ description: 'Needs access to the admin hub' })
  @ApiServiceUnavailableResponse({
    description: 'QUEUE_UNAVAILABLE (Retry-After): Redis did not answer within a second',
  })
  get(): Promise<Record<string, QueueFigures>> {
    return this.queues.figuresWithin();
  }
}
