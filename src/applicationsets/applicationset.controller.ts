import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorResponse } from '../common/http/error-response.dto';
import { requestText } from '../common/http/request-text';
import { encodeContinue, parsePage } from '../common/http/pagination';
import {
  ApplicationSetListResponse,
  ApplicationSetResponse,
  PreviewResponse,
} from './dto/applicationset.dto';
import { toApplicationSetResponse } from './dto/applicationset.mapper';
import { ApplicationSetService } from './applicationset.service';
import { Preview } from './applicationset-preview';

const BODY = {
  description: 'An ApplicationSet (argoproj.io/v1alpha1), YAML or JSON',
  schema: { type: 'object' },
};

@ApiTags('applicationsets')
@ApiResponse({
  status: 400,
  type: ErrorResponse,
  description: 'Unparseable YAML/JSON (with line numbers)',
})
@ApiResponse({
  status: 422,
  type: ErrorResponse,
  description: 'Schema problems, each with its path and line',
})
@Controller('api/v1/applicationsets')
export class ApplicationSetController {
  constructor(private readonly appSets: ApplicationSetService) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Generate the Applications of an ApplicationSet without writing anything',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody(BODY)
  @ApiResponse({ status: 200, type: PreviewResponse })
  preview(@Req() request: Request): Promise<Preview> {
    return this.appSets.preview(requestText(request));
  }

  @Post()
  @ApiOperation({ summary: 'Create an ApplicationSet (not managed by Git)' })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody(BODY)
  @ApiResponse({ status: 201, type: ApplicationSetResponse })
  @ApiResponse({ status: 409, type: ErrorResponse })
  async create(@Req() request: Request): Promise<ApplicationSetResponse> {
    return toApplicationSetResponse(await this.appSets.create(requestText(request)), 0);
  }

  @Get()
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'continue', required: false })
  @ApiResponse({ status: 200, type: ApplicationSetListResponse })
  async list(@Query() query: Record<string, unknown>): Promise<ApplicationSetListResponse> {
    const page = parsePage(query);
    const items = await this.appSets.list(page.limit + 1, page.afterName);
    const shown = items.slice(0, page.limit);
    return {
      items: shown.map((item) => toApplicationSetResponse(item.appSet, item.owned)),
      continue:
        items.length > page.limit ? encodeContinue(shown[shown.length - 1].appSet.name) : null,
    };
  }

  @Get(':name')
  @ApiResponse({ status: 200, type: ApplicationSetResponse })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async get(@Param('name') name: string): Promise<ApplicationSetResponse> {
    const appSet = await this.appSets.get(name);
    return toApplicationSetResponse(appSet, await this.appSets.ownedCount(appSet));
  }

  @Put(':name')
  @ApiOperation({
    summary:
      'Create or replace an ApplicationSet (refused for ApplicationSets managed by a Git source)',
  })
  @ApiConsumes('application/json', 'application/yaml')
  @ApiBody(BODY)
  @ApiResponse({ status: 200, type: ApplicationSetResponse })
  @ApiResponse({ status: 201, type: ApplicationSetResponse })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'Managed by a Git source' })
  async replace(
    @Param('name') name: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ApplicationSetResponse> {
    const { appSet, created } = await this.appSets.replace(name, requestText(request));
    response.status(created ? 201 : 200);
    return toApplicationSetResponse(appSet, await this.appSets.ownedCount(appSet));
  }

  @Delete(':name')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Delete an ApplicationSet; its Applications are deleted or kept as its policy says',
  })
  @ApiResponse({ status: 202, type: ApplicationSetResponse })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'Managed by a Git source' })
  async delete(@Param('name') name: string): Promise<ApplicationSetResponse> {
    const appSet = await this.appSets.delete(name);
    return toApplicationSetResponse(appSet, await this.appSets.ownedCount(appSet));
  }

  @Post(':name/approve-deletions')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Release the deletions the deletion budget held back (exactly the set in status.blockedDeletions)',
  })
  @ApiResponse({ status: 200, type: ApplicationSetResponse })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'Nothing is waiting for approval' })
  async approveDeletions(@Param('name') name: string): Promise<ApplicationSetResponse> {
    const appSet = await this.appSets.approveDeletions(name);
    return toApplicationSetResponse(appSet, await this.appSets.ownedCount(appSet));
  }
}
