import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';
import { MailActionDto } from './mail-action.dto';

export class AssignMailDto extends MailActionDto {
  @ApiProperty({ description: "An active user of the mail's organization" })
  @IsInt()
  @Min(1)
  userId!: number;
}
