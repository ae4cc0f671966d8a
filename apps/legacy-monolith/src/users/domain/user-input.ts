import { z } from 'zod';
import { countrySchema, idSchema, userRecordSchema, userStatusSchema, type UserRecord } from '@shop/contracts';
import type { User } from './user';

/**
 * Validation of the HTTP bodies, built from the `users` topic contract's field schemas (userRecordSchema,
 * idSchema, countrySchema) and only ever stricter, so the table can only hold rows the contract accepts:
 *   - unknown fields are refused (a typo such as `adress_line1` must not be silently dropped);
 *   - text must not be blank; the optional address fields are a non-blank string or null (never "");
 *   - e-mail addresses are stored lower-case (uniqueness ignores case).
 * Timestamps and (after creation) the id are the monolith's own: clients cannot set them.
 */
const fields = userRecordSchema.shape;

const notBlank = (schema: z.ZodString) => schema.regex(/\S/, 'must not be blank');
const optionalText = (max: number) => notBlank(z.string().max(max)).nullable();

const email = fields.email.transform((value) => value.toLowerCase());
const name = notBlank(fields.name);
const status = z.enum(userStatusSchema.options, { error: 'must be "active" or "suspended"' });
const country = countrySchema;
const region = notBlank(fields.region);
const addressLine1 = optionalText(200);
const city = optionalText(100);
const postalCode = optionalText(20);

export const createUserSchema = z.strictObject({
  id: idSchema.optional(),
  email,
  name,
  status: status.optional(),
  country,
  region,
  address_line1: addressLine1.optional(),
  city: city.optional(),
  postal_code: postalCode.optional(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

/** PATCH: every field optional; `null` clears an optional address field; at least one field. */
export const updateUserSchema = z
  .strictObject({
    email: email.optional(),
    name: name.optional(),
    status: status.optional(),
    country: country.optional(),
    region: region.optional(),
    address_line1: addressLine1.optional(),
    city: city.optional(),
    postal_code: postalCode.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'at least one field to change is required');
export type UserPatch = z.infer<typeof updateUserSchema>;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reasons: string[] };

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `(body): unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
  if (issue.code === 'invalid_type' && issue.path.length > 0 && /received undefined$/.test(issue.message)) return `${where}: is required`;
  return `${where}: ${issue.message}`;
}

function parseWith<T>(schema: z.ZodType<T>, body: unknown): Parsed<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reasons: parsed.error.issues.map(describeIssue) };
}

/** POST /users body → every reason it is refused, as `field: message`. */
export const parseCreateUser = (body: unknown): Parsed<CreateUserInput> => parseWith(createUserSchema, body);

/** PATCH /users/:id body → every reason it is refused. */
export const parseUserPatch = (body: unknown): Parsed<UserPatch> => parseWith(updateUserSchema, body);

/** A user id in a URL: the contract's id format (letters, digits, "_" and "-", at most 64). */
export function isUserId(value: string): boolean {
  return idSchema.safeParse(value).success;
}

/** The new row for a valid POST body: defaults applied, both timestamps = now. */
export function newUser(input: CreateUserInput, defaults: { readonly newId: () => string; readonly now: Date }): User {
  const at = defaults.now.toISOString();
  return assertRecord({
    id: input.id ?? defaults.newId(),
    email: input.email,
    name: input.name,
    status: input.status ?? 'active',
    country: input.country,
    region: input.region,
    address_line1: input.address_line1 ?? null,
    city: input.city ?? null,
    postal_code: input.postal_code ?? null,
    created_at: at,
    updated_at: at,
  });
}

/** Last line of defence: what the monolith writes is always a valid UserRecord. */
export function assertRecord(user: UserRecord): User {
  return userRecordSchema.parse(user);
}
