import { ApiPropertyOptional } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';

export class CancelBatchDto {
  @ApiPropertyOptional({
    description: 'The version you read; when sent, a stale one answers 409 VERSION_CONFLICT',
  })
  @VersionField({ optional: true })
  version?: number;
}
