import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { Authorize, CallerOrganisation, callerScope } from '@rf/platform-auth';
import type { Response } from 'express';
import { CreateConnectorCommand } from '../application/commands/create-connector/create-connector.command';
import { CreateConnectorHandler } from '../application/commands/create-connector/create-connector.handler';
import { DeleteConnectorCommand } from '../application/commands/delete-connector/delete-connector.command';
import { DeleteConnectorHandler } from '../application/commands/delete-connector/delete-connector.handler';
import { StartScanCommand } from '../application/commands/start-scan/start-scan.command';
import { StartScanHandler } from '../application/commands/start-scan/start-scan.handler';
import { TestConnectorCommand } from '../application/commands/test-connector/test-connector.command';
import { TestConnectorHandler } from '../application/commands/test-connector/test-connector.handler';
import { UpdateConnectorCommand } from '../application/commands/update-connector/update-connector.command';
import { UpdateConnectorHandler } from '../application/commands/update-connector/update-connector.handler';
import { GetConnectorHandler } from '../application/queries/get-connector/get-connector.handler';
import { GetScanHandler } from '../application/queries/get-scan/get-scan.handler';
import { ListConnectorsHandler } from '../application/queries/list-connectors/list-connectors.handler';
import {
  CreateConnectorBody,
  IdParams,
  ListConnectorsQuery,
  parseRequest,
  UpdateConnectorBody,
} from './inventory-request.schemas';
import {
  type ConnectionTestView,
  connectionTestView,
  type ConnectorPageView,
  type ConnectorView,
  connectorView,
  pageView,
  type ScanView,
  scanView,
} from './inventory-response.views';

/**
 * Connector configurations of the caller's organisation, their connection test, and on-demand scans.
 * Another organisation's connector answers 404, like a missing one.
 */
@Controller('api/v1/connectors')
export class ConnectorsController {
  constructor(
    private readonly listConnectors: ListConnectorsHandler,
    private readonly getConnector: GetConnectorHandler,
    private readonly createConnector: CreateConnectorHandler,
    private readonly updateConnector: UpdateConnectorHandler,
    private readonly deleteConnector: DeleteConnectorHandler,
    private readonly testConnector: TestConnectorHandler,
    private readonly startScan: StartScanHandler,
    private readonly getScan: GetScanHandler,
  ) {}

  @Get()
  @Authorize('asset.read', callerScope('connector'))
  async list(
    @CallerOrganisation() organisation: string,
    @Query() query: unknown,
  ): Promise<ConnectorPageView> {
    const { limit, cursor } = parseRequest(ListConnectorsQuery, query);
    const page = await this.listConnectors.execute({
      organisation,
      limit,
      ...(cursor === undefined ? {} : { cursor }),
    });
    return pageView(page, connectorView);
  }

  @Post()
  @Authorize('connector.manage', callerScope('connector'))
  async create(
    @CallerOrganisation() organisation: string,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ConnectorView> {
    const input = parseRequest(CreateConnectorBody, body);
    const created = await this.createConnector.execute(new CreateConnectorCommand(organisation, input));
    res.location(`/api/v1/connectors/${created.id}`);
    return connectorView(created);
  }

  @Get(':id')
  @Authorize('asset.read', callerScope('connector'))
  async get(@CallerOrganisation() organisation: string, @Param() params: unknown): Promise<ConnectorView> {
    const { id } = parseRequest(IdParams, params);
    return connectorView(await this.getConnector.execute(organisation, id));
  }

  @Patch(':id')
  @Authorize('connector.manage', callerScope('connector'))
  async update(
    @CallerOrganisation() organisation: string,
    @Param() params: unknown,
    @Body() body: unknown,
  ): Promise<ConnectorView> {
    const { id } = parseRequest(IdParams, params);
    const changes = parseRequest(UpdateConnectorBody, body);
    return connectorView(
      await this.updateConnector.execute(new UpdateConnectorCommand(organisation, id, changes)),
    );
  }

  @Delete(':id')
  @Authorize('connector.manage', callerScope('connector'))
  @HttpCode(204)
  async remove(@CallerOrganisation() organisation: string, @Param() params: unknown): Promise<void> {
    const { id } = parseRequest(IdParams, params);
    await this.deleteConnector.execute(new DeleteConnectorCommand(organisation, id));
  }

  /** Reaches the provider with the stored credentials; a failed check is a 200 with `ok: false`. */
  @Post(':id/test')
  @Authorize('connector.manage', callerScope('connector'))
  @HttpCode(200)
  async test(
    @CallerOrganisation() organisation: string,
    @Param() params: unknown,
  ): Promise<ConnectionTestView> {
    const { id } = parseRequest(IdParams, params);
    return connectionTestView(await this.testConnector.execute(new TestConnectorCommand(organisation, id)));
  }

  /** Starts a scan now; 409 while a scan of the connector runs anywhere. */
  @Post(':id/scans')
  @Authorize('scan.run', callerScope('connector'))
  @HttpCode(202)
  async scan(
    @CallerOrganisation() organisation: string,
    @Param() params: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ScanView> {
    const { id } = parseRequest(IdParams, params);
    const started = await this.startScan.execute(new StartScanCommand(organisation, id, 'on_demand'));
    res.location(`/api/v1/scans/${started.scanId}`);
    return scanView(await this.getScan.execute(organisation, started.scanId));
  }
}
