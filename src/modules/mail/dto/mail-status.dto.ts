import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { MAIL_STATUSES } from '../mail-workflow';
import { MailActionDto } from './mail-action.dto';

export class MailStatusDto extends MailActionDto {
  @ApiProperty({ enum: MAIL_STATUSES })
  @IsIn(MAIL_STATUSES)
  status!: string;
}
