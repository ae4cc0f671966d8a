import { rebuildAdmission, replayAdmission } from './admission';

describe('replayAdmission', () => {
  const idle = { rebuilding: false, replaying: [] };

  it('admits a replay when nothing runs, and beside a replay of another view', () => {
    expect(replayAdmission('shipments', idle, undefined)).toEqual({ admitted: true });
    expect(replayAdmission('shipments', { rebuilding: false, replaying: ['alerts'] }, undefined)).toEqual({ admitted: true });
  });

  it('refuses with 409 while a rebuild runs or while the same view is replayed', () => {
    expect(replayAdmission('shipments', { rebuilding: true, replaying: [] }, undefined)).toEqual({
      admitted: false,
      status: 409,
      reason: 'a rebuild is running: replay the dead letters once it is over',
    });
    expect(replayAdmission('shipments', { rebuilding: false, replaying: ['shipments'] }, undefined)).toMatchObject({
      admitted: false,
      status: 409,
      reason: 'the dead letters of view shipments are being replayed already',
    });
  });

  it('refuses an unsafe view with 422 first, whatever runs (it is never admitted, so waiting would not help)', () => {
    const unsafe = 'view users keeps the latest record per key';
    expect(replayAdmission('users', idle, unsafe)).toEqual({ admitted: false, status: 422, reason: unsafe });
    expect(replayAdmission('users', { rebuilding: true, replaying: ['users'] }, unsafe)).toMatchObject({ status: 422 });
  });
});

describe('rebuildAdmission', () => {
  it('refuses with 409 while a rebuild or any dead-letter replay runs', () => {
    expect(rebuildAdmission({ rebuilding: false, replaying: [] })).toEqual({ admitted: true });
    expect(rebuildAdmission({ rebuilding: true, replaying: [] })).toMatchObject({ status: 409, reason: 'a rebuild is already running' });
    expect(rebuildAdmission({ rebuilding: false, replaying: ['shipments'] })).toMatchObject({
      status: 409,
      reason: 'a dead-letter replay is running (view shipments)',
    });
  });
});
