import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import { ApiErrorResponse, ApiJsonResponse, ApiPageQuery, ApiPathParam, parsePageQuery } from '@shop/nest-platform';
import type { ShipmentPage } from '../domain/shipment-page';
import type { Shipment } from '../domain/shipment-rules';
import { ShipmentsRepository } from '../infra/shipments.repository';
import { ShipmentModel, ShipmentPageModel } from './shipments.api';

@Controller('shipments')
export class ShipmentsController {
  constructor(private readonly shipments: ShipmentsRepository) {}

  /** GET /shipments?limit=&offset= → { total, limit, offset, items } ordered by order id. */
  @Get()
  @ApiOperation({ summary: 'List the shipments, ordered by order id' })
  @ApiPageQuery()
  @ApiJsonResponse(200, 'one page of shipments', ShipmentPageModel)
  @ApiErrorResponse(400, 'a bad limit or offset (every problem listed)')
  async list(@Query() query: Record<string, unknown>): Promise<ShipmentPage> {
    const parsed = parsePageQuery(query);
    if (!parsed.ok) throw new BadRequestException(parsed.problems);
    return this.shipments.page(parsed.page);
  }

  /** GET /shipments/:orderId → the order's shipment; 404 while it has none. */
  @Get(':orderId')
  @ApiOperation({ summary: "An order's shipment" })
  @ApiPathParam('orderId', idSchema, 'the order id')
  @ApiJsonResponse(200, "the order's shipment", ShipmentModel)
  @ApiErrorResponse(400, 'not an order id')
  @ApiErrorResponse(404, 'no shipment for the order (unknown, rejected, or its verdict not consumed yet)')
  async get(@Param('orderId') orderId: string): Promise<Shipment> {
    if (!idSchema.safeParse(orderId).success) {
      throw new BadRequestException(`"${orderId}" is not an order id (letters, digits, "_" and "-", at most 64)`);
    }
    const shipment = await this.shipments.findByOrderId(orderId);
    if (!shipment) {
      throw new NotFoundException(
        `no shipment for order "${orderId}" (the order is unknown, was rejected, or its verdict has not been consumed yet)`,
      );
    }
    return shipment;
  }
}
