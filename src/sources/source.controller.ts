import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/http/error-response.dto';
import { Source } from './source.model';
import { SourceService } from './source.service';

export class SourceRequest {
  @ApiProperty({ example: 'platform-appsets' })
  name: string;
  @ApiProperty({ example: 'https://github.com/example/fleet.git' })
  repoURL: string;
  @ApiPropertyOptional({ example: 'main', default: 'HEAD' })
  revision?: string;
  @ApiPropertyOptional({ example: 'applicationsets', default: '' })
  path?: string;
  @ApiPropertyOptional({ default: false })
  recurse?: boolean;
}

export class SourceResponse {
  @ApiProperty()
  name: string;
  @ApiProperty()
  repoURL: string;
  @ApiProperty()
  revision: string;
  @ApiProperty()
  path: string;
  @ApiProperty()
  recurse: boolean;
  @ApiProperty({
    description: 'revision applied, ApplicationSets, file problems, last error',
    type: 'object',
    additionalProperties: true,
  })
  status: Record<string, unknown>;
}

function toResponse(source: Source): SourceResponse {
  const { name, repoURL, revision, path, recurse, status } = source;
  return { name, repoURL, revision, path, recurse, status: status as Record<string, unknown> };
}

@ApiTags('sources')
@ApiResponse({ status: 422, type: ErrorResponse })
@Controller('api/v1/sources')
export class SourceController {
  constructor(private readonly sources: SourceService) {}

  @Post()
  @ApiResponse({ status: 201, type: SourceResponse })
  @ApiResponse({ status: 409, type: ErrorResponse })
  async create(@Body() body: SourceRequest): Promise<SourceResponse> {
    return toResponse(await this.sources.create(body));
  }

  @Get()
  @ApiResponse({ status: 200, type: [SourceResponse] })
  async list(): Promise<{ items: SourceResponse[] }> {
    return { items: (await this.sources.list()).map(toResponse) };
  }

  @Get(':name')
  @ApiResponse({ status: 200, type: SourceResponse })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async get(@Param('name') name: string): Promise<SourceResponse> {
    return toResponse(await this.sources.get(name));
  }

  @Put(':name')
  @ApiResponse({ status: 200, type: SourceResponse })
  async replace(@Param('name') name: string, @Body() body: SourceRequest): Promise<SourceResponse> {
    return toResponse(await this.sources.replace(name, body));
  }

  @Post(':name/refresh')
  @HttpCode(202)
  @ApiResponse({ status: 202, type: SourceResponse })
  async refresh(@Param('name') name: string): Promise<SourceResponse> {
    return toResponse(await this.sources.refresh(name));
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.sources.delete(name);
  }
}
