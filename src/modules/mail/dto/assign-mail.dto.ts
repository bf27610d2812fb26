import { ApiProperty } from '@nestjs/swagger';
import { IdField } from '../../../core/http/fields';
import { MailActionDto } from './mail-action.dto';

export class AssignMailDto extends MailActionDto {
  @ApiProperty({ description: "An active user of the mail's organization" })
  @IdField()
  userId!: number;
}
