import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/http/error-response.dto';
import { ApplicationListResponse, ApplicationResponse } from './dto/application.dto';
import { toApplicationResponse } from './dto/application.mapper';
import { ApplicationService } from './application.service';

@ApiTags('applications')
@Controller('api/v1/applications')
export class ApplicationController {
  constructor(private readonly applications: ApplicationService) {}

  @Get()
  @ApiQuery({ name: 'applicationset', required: false, description: 'Owning ApplicationSet' })
  @ApiQuery({ name: 'cluster', required: false, description: 'Destination cluster name' })
  @ApiQuery({ name: 'project', required: false })
  @ApiQuery({ name: 'sync', required: false, enum: ['Synced', 'OutOfSync', 'Unknown'] })
  @ApiQuery({
    name: 'health',
    required: false,
    enum: ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'],
  })
  @ApiQuery({
    name: 'selector',
    required: false,
    description: 'Label selector on the Application labels',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'continue', required: false })
  @ApiResponse({ status: 200, type: ApplicationListResponse })
  @ApiResponse({ status: 400, type: ErrorResponse })
  async list(@Query() query: Record<string, unknown>): Promise<ApplicationListResponse> {
    const page = await this.applications.list(query);
    return { items: page.items.map(toApplicationResponse), continue: page.continue };
  }

  @Get(':name')
  @ApiResponse({ status: 200, type: ApplicationResponse })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async get(@Param('name') name: string): Promise<ApplicationResponse> {
    return toApplicationResponse(await this.applications.get(name));
  }
}
