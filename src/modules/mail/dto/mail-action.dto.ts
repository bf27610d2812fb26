import { ApiPropertyOptional } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';

/** Body of a workflow action: the version is optional (when sent, a stale one answers 409). */
export class MailActionDto {
  @ApiPropertyOptional({
    description: 'The version you read; when sent, a stale one answers 409 VERSION_CONFLICT',
  })
  @VersionField({ optional: true })
  version?: number;
}
