import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { idSchema } from '@shop/contracts';
import { ApiErrorResponse, ApiJsonResponse, ApiPathParam } from '@shop/nest-platform';
import { customerProfileOf, type CustomerProfile } from '../domain/customer-profile';
import { CustomersRepository } from '../infra/customers.repository';
import { CustomerProfileModel } from './customers.api';

@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersRepository) {}

  /** GET /customers/:id → the user's profile; 404 while nothing is known of the id. */
  @Get(':id')
  @ApiOperation({ summary: "A user's profile: orders, lifetime value, last order and shipment, open fraud alerts" })
  @ApiPathParam('id', idSchema, 'the user id')
  @ApiJsonResponse(200, "the user's profile", CustomerProfileModel)
  @ApiErrorResponse(400, 'not a user id')
  @ApiErrorResponse(404, 'no user, order, shipment or alert with this user id (unknown, or not consumed yet)')
  async get(@Param('id') id: string): Promise<CustomerProfile> {
    if (!idSchema.safeParse(id).success) {
      throw new BadRequestException(`"${id}" is not a user id (letters, digits, "_" and "-", at most 64)`);
    }
    const profile = customerProfileOf(await this.customers.factsOf(id));
    if (!profile) throw new NotFoundException(`no customer "${id}" (unknown, or nothing of it consumed yet)`);
    return profile;
  }
}
