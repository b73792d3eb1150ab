import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/http/error-response.dto';
import {
  ClusterListResponse,
  ClusterResponse,
  ImportClusterRequest,
  RegisterClusterRequest,
  UpdateClusterRequest,
} from './dto/cluster.dto';
import { toClusterResponse } from './dto/cluster.mapper';
import { ClusterConnectivityService } from './cluster-connectivity.service';
import { ClusterService } from './cluster.service';

@ApiTags('clusters')
@ApiResponse({ status: 400, type: ErrorResponse, description: 'Malformed request' })
@ApiResponse({
  status: 422,
  type: ErrorResponse,
  description: 'A field breaks a rule; `details` names each one',
})
@Controller('api/v1/clusters')
export class ClusterController {
  constructor(
    private readonly clusters: ClusterService,
    private readonly connectivity: ClusterConnectivityService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a cluster (it need not be reachable)' })
  @ApiResponse({ status: 201, type: ClusterResponse })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'The name is taken' })
  async register(@Body() body: RegisterClusterRequest): Promise<ClusterResponse> {
    return toClusterResponse(await this.clusters.register(body));
  }

  @Post('import')
  @ApiOperation({
    summary: 'Register the cluster of a kubeconfig context, with its embedded credentials',
  })
  @ApiResponse({ status: 201, type: ClusterResponse })
  async import(@Body() body: ImportClusterRequest): Promise<ClusterResponse> {
    return toClusterResponse(await this.clusters.importKubeconfig(body));
  }

  @Get()
  @ApiOperation({ summary: 'List clusters in name order, optionally by label selector' })
  @ApiQuery({
    name: 'selector',
    required: false,
    description: 'Label selector, e.g. `env=prod,region in (eu,us),!legacy`',
  })
  @ApiQuery({ name: 'limit', required: false, description: 'Page size, 1–1000 (default 500)' })
  @ApiQuery({ name: 'continue', required: false, description: 'Token from the previous page' })
  @ApiResponse({ status: 200, type: ClusterListResponse })
  async list(@Query() query: Record<string, unknown>): Promise<ClusterListResponse> {
    const page = await this.clusters.list(query);
    return { items: page.items.map(toClusterResponse), continue: page.continue };
  }

  @Get(':name')
  @ApiResponse({ status: 200, type: ClusterResponse })
  @ApiResponse({ status: 404, type: ErrorResponse })
  async get(@Param('name') name: string): Promise<ClusterResponse> {
    return toClusterResponse(await this.clusters.get(name));
  }

  @Patch(':name')
  @ApiOperation({
    summary: 'Merge labels/annotations (null removes a key); change server, project or credentials',
  })
  @ApiResponse({ status: 200, type: ClusterResponse })
  async update(
    @Param('name') name: string,
    @Body() body: UpdateClusterRequest,
  ): Promise<ClusterResponse> {
    return toClusterResponse(await this.clusters.update(name, body));
  }

  @Put(':name/labels')
  @ApiOperation({ summary: 'Replace the whole label set (the body is the new label map)' })
  @ApiBody({
    schema: { type: 'object', additionalProperties: { type: 'string' }, example: { env: 'prod' } },
  })
  @ApiResponse({ status: 200, type: ClusterResponse })
  async replaceLabels(
    @Param('name') name: string,
    @Body() labels: Record<string, string>,
  ): Promise<ClusterResponse> {
    return toClusterResponse(await this.clusters.replaceLabels(name, labels));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'Deleted' })
  async delete(@Param('name') name: string): Promise<void> {
    await this.clusters.delete(name);
  }

  @Post(':name/check')
  @HttpCode(200)
  @ApiOperation({ summary: "Call the cluster's /version now and record the connection status" })
  @ApiResponse({ status: 200, type: ClusterResponse })
  async check(@Param('name') name: string): Promise<ClusterResponse> {
    return toClusterResponse(await this.connectivity.check(name));
  }
}
