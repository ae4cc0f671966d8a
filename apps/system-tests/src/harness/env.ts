/** A number from the environment, `fallback` when unset or empty (the tests' and scripts' sizes and seeds). */
export function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw === undefined || raw === '' ? fallback : Number(raw);
}
