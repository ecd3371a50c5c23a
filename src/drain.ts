/**
 * Graceful shutdown of the Node server (quality.md §Faults): on SIGTERM it stops
 * accepting connections, lets every request it has already accepted finish (each
 * answered with `Connection: close`, so keep-alive sockets end after it; idle ones
 * end by the keep-alive timeout), waits a bounded time for them, and only then
 * lets the caller close the database.
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

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is
 * shorter than a busy moment of this server: the event loop runs database work
 * synchronously, so a client's next request can wait in the socket while the idle
 * timer fires first, and the connection is reset under it. Proxies in front use
 * a shorter idle timeout than the server behind them, which this keeps possible.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How long a draining server still accepts the connections clients had opened before they learn it is closing. */
export const ACCEPT_GRACE_MS = 100;

export function drainable(server: Server): Drainer {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // a request's headers may take as long as the connection may idle (Node requires headersTimeout > keepAliveTimeout)
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
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
        // a keep-alive connection idle since before the signal is not closed here: its client may be sending its next
        // request right now (closing it would reset that request). It answers that request with Connection: close,
        // or is closed when the drain's bound runs out
        // connections the kernel has completed but the busy event loop has not accepted yet would be reset by
        // closing the listener now (the signal is handled in the loop's poll phase, after this turn's accepts): a
        // short grace and then a poll phase accept them first, and they are answered with Connection: close
        setTimeout(
          () =>
            setImmediate(() =>
              NetServer.prototype.close.call(server, () => {
                clearTimeout(timer);
                resolve({ timedOut: false });
              }),
            ),
          ACCEPT_GRACE_MS,
        );
      });
    },
  };
}
