import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ApiError } from './api-error';

/** A positive integer id in the path, else 400 naming the parameter. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, meta: ArgumentMetadata): number {
    const parameter = meta.data ?? 'id';
    if (!/^\d{1,15}$/.test(value) || Number(value) < 1) {
      throw ApiError.badRequest(
        'INVALID_ID',
        `${parameter}: got "${String(value).slice(0, 30)}", takes a positive integer`,
        parameter,
      );
    }
    return Number(value);
  }
}
