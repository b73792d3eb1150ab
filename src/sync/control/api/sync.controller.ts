import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../../../common/http/error-response.dto';
import {
  DeletionAccepted,
  DiffResponse,
  HistoryResponse,
  OperationAccepted,
  ResourcesResponse,
  RollbackRequestBody,
  SyncRequestBody,
  TerminateAccepted,
} from './sync.dto';
import { SyncControlService } from './sync-control.service';

/** Sync, rollback, terminate, diff, history and resources of one Application (Argo CD's verbs). */
@ApiTags('applications')
@ApiResponse({ status: 404, type: ErrorResponse, description: 'No Application of that name' })
@Controller('api/v1/applications/:name')
export class SyncController {
  constructor(private readonly sync: SyncControlService) {}

  @Post('sync')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Sync now (the worker of its cluster runs it; follow status.operationState)',
  })
  @ApiBody({ type: SyncRequestBody, required: false })
  @ApiResponse({ status: 202, type: OperationAccepted })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'The body is not a JSON object' })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'An operation is in progress' })
  @ApiResponse({ status: 422, type: ErrorResponse, description: 'Bad field or unknown revision' })
  @ApiResponse({ status: 502, type: ErrorResponse, description: 'Git could not be read' })
  async syncNow(@Param('name') name: string, @Body() body: unknown): Promise<OperationAccepted> {
    return { application: name, operation: { ...(await this.sync.sync(name, body)) } };
  }

  @Post('rollback')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deploy a history entry again (refused while automated sync is on)' })
  @ApiBody({ type: RollbackRequestBody, required: false })
  @ApiResponse({ status: 202, type: OperationAccepted })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'Automated sync is on, or an operation is in progress',
  })
  @ApiResponse({ status: 422, type: ErrorResponse, description: 'Bad or unknown history id' })
  async rollback(@Param('name') name: string, @Body() body: unknown): Promise<OperationAccepted> {
    return { application: name, operation: { ...(await this.sync.rollback(name, body)) } };
  }

  @Delete()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Delete: with cascade (default) its resources are pruned first; cascade=false leaves them on the cluster',
  })
  @ApiQuery({ name: 'cascade', required: false, enum: ['true', 'false'] })
  @ApiResponse({ status: 202, type: DeletionAccepted })
  @ApiResponse({ status: 400, type: ErrorResponse, description: 'Bad or unknown query parameter' })
  async delete(
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
  ): Promise<DeletionAccepted> {
    return this.sync.delete(name, query);
  }

  @Post('terminate')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop the running operation' })
  @ApiResponse({ status: 202, type: TerminateAccepted })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'No operation in progress' })
  async terminate(@Param('name') name: string): Promise<TerminateAccepted> {
    await this.sync.terminate(name);
    return { application: name, message: 'termination requested' };
  }

  @Get('diff')
  @ApiOperation({
    summary: 'Desired (Git) against live (cluster), per object; Secret values masked',
  })
  @ApiQuery({
    name: 'revision',
    required: false,
    description: 'Compare another revision (an Application with one source)',
  })
  @ApiQuery({
    name: 'revisions',
    required: false,
    isArray: true,
    description:
      'Compare other revisions of spec.sources, one per sourcePositions or sourceNames entry (repeat the parameter)',
  })
  @ApiQuery({ name: 'sourcePositions', required: false, isArray: true, type: Number })
  @ApiQuery({ name: 'sourceNames', required: false, isArray: true, type: String })
  @ApiResponse({ status: 200, type: DiffResponse })
  @ApiResponse({ status: 409, type: ErrorResponse, description: 'Cannot render, or no cluster' })
  @ApiResponse({ status: 502, type: ErrorResponse, description: 'Git or the cluster failed' })
  async diff(
    @Param('name') name: string,
    @Query() query: Record<string, unknown>,
  ): Promise<DiffResponse> {
    return this.sync.diff(name, query) as Promise<DiffResponse>;
  }

  @Get('history')
  @ApiOperation({ summary: 'The last successful syncs (revisionHistoryLimit, default 10)' })
  @ApiResponse({ status: 200, type: HistoryResponse })
  async history(@Param('name') name: string): Promise<HistoryResponse> {
    return { items: [...(await this.sync.history(name))] };
  }

  @Get('resources')
  @ApiOperation({ summary: 'Managed resources with their sync and health status' })
  @ApiResponse({ status: 200, type: ResourcesResponse })
  async resources(@Param('name') name: string): Promise<ResourcesResponse> {
    return { items: [...(await this.sync.resources(name))] };
  }
}
