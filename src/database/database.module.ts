import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from './data-source';
import { DATABASE_URL } from './database.tokens';
import { TypeOrmNestLogger } from './typeorm-nest.logger';

/** TypeORM on the given URL (migrations are applied before the app starts, never `synchronize`). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(url: string, poolSize?: number): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions(url, poolSize),
            logger: new TypeOrmNestLogger(),
          }),
        }),
      ],
      providers: [{ provide: DATABASE_URL, useValue: url }],
      exports: [DATABASE_URL],
    };
  }
}
