import net from 'node:net';
import { freePort } from './free-port';

describe('freePort', () => {
  it('gives ports below the ephemeral range that a server can listen on, never the same one twice', async () => {
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port >= 20_000 && port < 32_768).toBe(true);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});
