import { ApiProperty } from '@nestjs/swagger';
import { EmailField, TextField } from '../../http/fields';

export class LoginDto {
  @ApiProperty({ example: 'admin@postroom.local', maxLength: 320 })
  @EmailField({ max: 320 })
  email!: string;

  @ApiProperty({ example: 'postroom-admin', maxLength: 200 })
  @TextField({ min: 1, max: 200 })
  password!: string;
}

export class LoginResponseDto {
  @ApiProperty() token!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn!: number;
  @ApiProperty() expiresAt!: string;
}
