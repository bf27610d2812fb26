import { ApiProperty } from '@nestjs/swagger';
import { EnumField } from '../../../core/http/fields';
import { MAIL_STATUSES } from '../mail-workflow';
import { MailActionDto } from './mail-action.dto';

export class MailStatusDto extends MailActionDto {
  @ApiProperty({ enum: MAIL_STATUSES })
  @EnumField(MAIL_STATUSES)
  status!: string;
}
