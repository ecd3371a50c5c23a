/**
 * Graceful shutdown of the Node server (quality.md §Faults): on SIGTERM it stops
 * accepting connections, lets every request it has already accepted finish (each
 * answered with `Connection: close`, so keep-alive sockets end after it), waits a
 * bounded time for them, and only then lets the caller close the database.
 *
 * Node's `server.close()` also destroys every connection with no request in
 * progress, which includes connections accepted whose request has not been parsed
 * yet (the event loop was busy with another batch): their clients saw a reset.
 * So the listening socket is closed on its own, and connections end by themselves.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

export const DRAIN_TIMEOUT_MS = 10_000;

export interface Drainer {
  /** Stops accepting and resolves once every connection has ended, or after `timeoutMs` (the rest are then closed). */
  drain(timeoutMs?: number): Promise<{ timedOut: boolean }>;
}

export function drainable(server: Server): Drainer {
  let draining = false;
  const open = new Set<ServerResponse>();
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    open.add(res);
    res.on('close', () => open.delete(res));
  });
  return {
    drain(timeoutMs = DRAIN_TIMEOUT_MS) {
      draining = true;
      for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve({ timedOut: true });
        }, timeoutMs);
        // keep-alive connections idle since before the signal would hold the wait until their timeout: close them once
        // no request has been in progress for two ticks in a row (to Node a connection whose request is still unread
        // is idle too, so the quiet must have lasted long enough for the event loop to have read every socket)
        let quiet = 0;
        const idle = setInterval(() => {
          quiet = open.size === 0 ? quiet + 1 : 0;
          if (quiet >= 2) server.closeIdleConnections();
        }, 250);
        NetServer.prototype.close.call(server, () => {
          clearTimeout(timer);
          clearInterval(idle);
          resolve({ timedOut: false });
        });
      });
    },
  };
}
