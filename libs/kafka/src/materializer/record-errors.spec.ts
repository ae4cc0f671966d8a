import { isRecordSpecificError, sqlState, UnprocessableRecordError } from './record-errors';

// Shapes as thrown by Prisma 7 with @prisma/adapter-pg (P2010 raw query failed) and by node-postgres.
const prismaError = (originalCode: string) =>
  Object.assign(new Error('Raw query failed'), {
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode, kind: 'postgres' } } },
  });

describe('record errors', () => {
  it('reads the SQLSTATE from Prisma driver-adapter errors and from pg errors', () => {
    expect(sqlState(prismaError('22P02'))).toBe('22P02');
    expect(sqlState(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe('23505');
    expect(sqlState(new Error('plain'))).toBeUndefined();
  });

  it('blames the record for data exceptions and constraint violations only', () => {
    expect(isRecordSpecificError(prismaError('22P02'))).toBe(true); // invalid input syntax
    expect(isRecordSpecificError(prismaError('23505'))).toBe(true); // unique violation
    expect(isRecordSpecificError(new UnprocessableRecordError('no such product'))).toBe(true);
  });

  it('does not blame the record for outages, timeouts or bugs in the view', () => {
    expect(isRecordSpecificError(prismaError('42P01'))).toBe(false); // table does not exist: a bug
    expect(isRecordSpecificError(prismaError('57P01'))).toBe(false); // admin shutdown
    expect(isRecordSpecificError(prismaError('08006'))).toBe(false); // connection failure
    expect(isRecordSpecificError(new Error('view users did not catch up within 30000 ms'))).toBe(false);
  });
});
