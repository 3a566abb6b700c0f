/**
 * A cheap "does PostgreSQL answer here?": connect, send an SSLRequest, wait for its one-byte answer
 * ('S' or 'N'), close. No startup packet, no authentication, no backend past its first read (and
 * nothing in the server log). A hung server (SIGSTOP) accepts the TCP connection in the kernel but
 * never answers: that counts as no answer. Used between full probes while a node is backing off.
 */
import net from "node:net";

/** Where postgres.js last connected (what it passes to its `socket` option). */
export interface PingTarget {
  host: string;
  port: number;
  /** Unix-domain socket path, when the DSN names a socket directory. */
  path?: string | undefined;
}

/** SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Resolves when the server answers the SSLRequest within `timeoutMs`; rejects with an Error whose
 * `code` is the socket's (ECONNREFUSED, ...) or `CONNECT_TIMEOUT` when nothing answered in time.
 */
export function pingPostgres(target: PingTarget, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new net.Socket();
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => {
      const err = new Error(`no answer within ${timeoutMs} ms`);
      finish(Object.assign(err, { code: "CONNECT_TIMEOUT" }));
    }, timeoutMs);
    socket.once("error", (err) => finish(err));
    socket.once("connect", () => socket.write(SSL_REQUEST));
    socket.once("data", () => finish(null));
    socket.once("close", () => {
      const err = new Error("connection closed before an answer");
      finish(Object.assign(err, { code: "CONNECTION_CLOSED" }));
    });
    if (target.path) socket.connect(target.path);
    else socket.connect(target.port, target.host);
  });
}
