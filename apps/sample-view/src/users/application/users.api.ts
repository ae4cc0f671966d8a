import { timestampSchema, userRecordSchema } from '@shop/contracts';
import { apiModel, pageOf, schemaFor } from '@shop/nest-platform';
import { z } from 'zod';
import type { User, UserPage } from '../domain/user';

/** The bodies of GET /users and GET /users/:id, from the users topic's record schema (checked against the types). */
const fields = userRecordSchema.shape;

const userSchema = schemaFor<User>()(
  z.object({
    id: fields.id,
    email: z.string(),
    name: z.string(),
    status: z.string().describe('as the users topic carries it ("active" or "suspended")'),
    country: z.string(),
    region: z.string(),
    address: z.object({ line1: fields.address_line1, city: fields.city, postalCode: fields.postal_code }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  }),
);

export const UserModel = apiModel('User', userSchema);
export const UserPageModel = apiModel('UserPage', schemaFor<UserPage>()(pageOf(userSchema, 'ordered by id')));
