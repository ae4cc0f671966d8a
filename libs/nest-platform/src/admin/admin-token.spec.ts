import { adminTokenProblem } from './admin-token';

describe('adminTokenProblem', () => {
  const token = 'a-token-of-sixteen-chars';

  it('admits exactly the configured bearer token', () => {
    expect(adminTokenProblem(token, `Bearer ${token}`)).toBeNull();
    expect(adminTokenProblem(token, `bearer ${token}`)).toBeNull();
    expect(adminTokenProblem(token, [`Bearer ${token}`])).toBeNull();
  });

  it('refuses a missing, malformed or wrong token, and everything when no token is configured', () => {
    expect(adminTokenProblem(token, undefined)).toBe('send Authorization: Bearer <ADMIN_TOKEN>');
    expect(adminTokenProblem(token, token)).toBe('send Authorization: Bearer <ADMIN_TOKEN>');
    expect(adminTokenProblem(token, 'Basic dXNlcjpwYXNz')).toBe('send Authorization: Bearer <ADMIN_TOKEN>');
    expect(adminTokenProblem(token, `Bearer ${token}x`)).toBe('wrong admin token');
    expect(adminTokenProblem(token, `Bearer ${token.slice(0, -1)}`)).toBe('wrong admin token');
    expect(adminTokenProblem(undefined, `Bearer ${token}`)).toBe('admin endpoints are disabled: start the service with ADMIN_TOKEN set');
  });
});
