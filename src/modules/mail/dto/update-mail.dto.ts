import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';
import { CreateMailDto } from './create-mail.dto';

export class UpdateMailDto extends PartialType(
  PickType(CreateMailDto, ['subject', 'sender', 'priority', 'folderId'] as const),
) {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;
}
