import { Global, Module } from '@nestjs/common';
import { GridService } from './grid.service';

/** The grid engine; the permission module provides GRID_SCOPE. */
@Global()
@Module({ providers: [GridService], exports: [GridService] })
export class GridModule {}
