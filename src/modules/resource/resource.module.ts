import { Global, Module } from '@nestjs/common';
import { gridRoutes } from './grid-routes';
import { ResourceReader } from './resource-reader.service';
import { RESOURCES } from './resources';

/** The generated read routes of every resource, and the reader the modules answer items with. */
@Global()
@Module({
  controllers: RESOURCES.map(gridRoutes),
  providers: [ResourceReader],
  exports: [ResourceReader],
})
export class ResourceModule {}
