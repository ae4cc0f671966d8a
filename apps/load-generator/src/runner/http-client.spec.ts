import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from './http-client';

/** A real HTTP server on loopback that answers 202 and counts what it got. */
async function server(): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const s = http.createServer((req, res) => {
    hits.push(String(req.headers['idempotency-key']));
    req.resume().on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}'));
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/orders`, hits, close: () => new Promise((resolve) => s.close(() => resolve())) };
}

describe('postJson over several instances', () => {
  it('spreads requests by key and moves on to the next instance at once when one is down', async () => {
    const up = await server();
    const down = await server();
    await down.close(); // its port now refuses connections, like a killed instance
    try {
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      const outcomes = await Promise.all(keys.map((k) => postJson([down.url, up.url], '{}', k, { maxAttempts: 2, baseDelayMs: 10_000 })));
      expect(outcomes.every((o) => o.status === 202)).toBe(true);
      // Some keys went to the dead instance first and needed its neighbour: no backoff wait was needed for them.
      const retried = outcomes.filter((o) => o.attempts === 2).length;
      expect(retried).toBeGreaterThan(0);
      expect(retried).toBeLessThan(keys.length);
      expect([...up.hits].sort()).toEqual([...keys].sort());
    } finally {
      await up.close();
    }
  });
});
