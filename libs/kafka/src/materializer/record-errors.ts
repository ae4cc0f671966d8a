/**
 * Which failures are the record's fault. Only those may send a record to the dead-letter topic; any
 * other failure (the database or broker away, a catch-up timeout, a bug in the view's SQL) stalls the
 * partition and is retried, because dead-lettering valid records would silently drop them from the view.
 */

/** Thrown by a view for a record it can never apply (a domain-level poison record). */
export class UnprocessableRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnprocessableRecordError';
  }
}

type Loose = { readonly [key: string]: unknown } | undefined;

const asObject = (value: unknown): Loose => (typeof value === 'object' && value !== null ? (value as Loose) : undefined);

/** The PostgreSQL SQLSTATE of an error from pg or from Prisma's pg driver adapter, if there is one. */
export function sqlState(error: unknown): string | undefined {
  const e = asObject(error);
  const adapterCause = asObject(asObject(asObject(e?.['meta'])?.['driverAdapterError'])?.['cause']);
  const candidates = [adapterCause?.['originalCode'], adapterCause?.['code'], e?.['code'], asObject(e?.['cause'])?.['code']];
  return candidates.find((c): c is string => typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c));
}

/**
 * A record-specific failure: the view said so, or PostgreSQL rejected the data itself (class 22, data
 * exception: bad input syntax, value out of range, string too long…; class 23, integrity constraint
 * violation).
 */
export function isRecordSpecificError(error: unknown): boolean {
  if (error instanceof UnprocessableRecordError) return true;
  const state = sqlState(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * The database could not be reached or is not serving yet: connection exceptions (class 08), the server
 * shutting down or starting up (57P01–57P03), too many connections (53300), or a failure with no SQLSTATE at all (refused or reset
 * connections, Prisma's "can't reach database server", pool timeouts). Waited out, never the data's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined) return true;
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300';
}
