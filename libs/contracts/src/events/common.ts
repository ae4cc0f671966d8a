import { z } from 'zod';

/** Identifiers are opaque strings: UUIDs from the monolith, ids chosen by clients for orders. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "_" and "-"');

/** ISO 3166-1 alpha-2 country code, upper case. */
export const countrySchema = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as "DE"');

/** ISO 4217 currency code. Which ones are accepted is a business rule of order-validation, not of the schema. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as "EUR"');

/** Money is integer minor units (cents): no floating point in totals. */
export const amountSchema = z.number().int().nonnegative().max(1_000_000_000_00);

export const timestampSchema = z.iso.datetime({ offset: true });

export const addressSchema = z.object({
  line1: z.string().min(1).max(200),
  city: z.string().min(1).max(100),
  postalCode: z.string().min(1).max(20),
  country: countrySchema,
});
export type Address = z.infer<typeof addressSchema>;
