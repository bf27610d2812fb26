import { Global, Module } from '@nestjs/common';
import { RedisService } from './redis.service';
import { SharedCache } from './shared-cache.service';

@Global()
@Module({ providers: [RedisService, SharedCache], exports: [RedisService, SharedCache] })
export class RedisModule {}
