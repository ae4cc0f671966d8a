import net from 'node:net';

/**
 * Below Linux's ephemeral range (32768–60999), from which the OS picks the local port of every outgoing connection:
 * a port found free there could be taken by a client's connection (a broker's, a database's) before the service that
 * was given it listens, which made a system run fail once with EADDRINUSE.
 */
const FIRST = 20_000;
const SPAN = 12_000;
/** Handed out by this process already: two services of one run never get the same port. */
const handedOut = new Set<number>();

/** Whether nothing listens on `port`, on any interface (as a service listens). */
function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** A TCP port nobody listens on right now, outside the ephemeral range and new to this process. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = FIRST + Math.floor(Math.random() * SPAN);
    if (handedOut.has(port) || !(await listenable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`freePort: no free port in ${FIRST}-${FIRST + SPAN - 1} after 200 attempts`);
}
