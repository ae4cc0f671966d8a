import { z } from 'zod';
import { countrySchema, idSchema } from './common';

/**
 * One row of the legacy monolith's `users` table, exactly as change data capture publishes it on the
 * `users` topic (Debezium's new-record-state transform, JSON without schemas): column names in
 * snake_case, no envelope. The key is the user id as a plain string; a delete is a tombstone (null value).
 *
 * Timestamps are `timestamptz` columns, which Debezium renders as ISO-8601 strings.
 */
export const userStatusSchema = z.enum(['active', 'suspended']);
export type UserStatus = z.infer<typeof userStatusSchema>;

export const userRecordSchema = z.object({
  id: idSchema,
  email: z.email().max(320),
  name: z.string().min(1).max(200),
  status: userStatusSchema,
  country: countrySchema,
  region: z.string().min(1).max(50),
  address_line1: z.string().max(200).nullable(),
  city: z.string().max(100).nullable(),
  postal_code: z.string().max(20).nullable(),
  created_at: z.iso.datetime({ offset: true }),
  updated_at: z.iso.datetime({ offset: true }),
});

export type UserRecord = z.infer<typeof userRecordSchema>;
