import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Min } from 'class-validator';

export class CancelBatchDto {
  @ApiPropertyOptional({
    description: 'The version you read; when sent, a stale one answers 409 VERSION_CONFLICT',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}
