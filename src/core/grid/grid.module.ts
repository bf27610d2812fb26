import { Global, Module } from '@nestjs/common';
import { GridService } from './grid.service';

/** The grid engine: callers hand it their scope as an opaque predicate. */
@Global()
@Module({ providers: [GridService], exports: [GridService] })
export class GridModule {}
