import { ApiProperty, PartialType } from '@nestjs/swagger';
import { VersionField } from '../../../core/http/fields';
import { CreateDocumentDto } from './create-document.dto';

export class UpdateDocumentDto extends PartialType(CreateDocumentDto) {
  @ApiProperty({ description: 'The version you read; a stale one answers 409 VERSION_CONFLICT' })
  @VersionField()
  version!: number;
}
