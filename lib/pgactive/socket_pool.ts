/**
 * Sockets for postgres.js that this code owns: a hung peer (SIGSTOP) never answers a goodbye, and
 * postgres.js only half-closes on end(), so after a deadline the sockets are destroyed here.
 */
import net from "node:net";
import type { PingTarget } from "./ping.ts";

/** What postgres.js passes to its `socket` option. */
interface SocketTarget {
  host: string[];
  port: number[];
  path?: string | false;
}

/** Tracks the sockets of one postgres.js instance. */
export class SocketPool {
  #sockets = new Set<net.Socket>();
  #onTarget: ((target: PingTarget) => void) | undefined;

  /** `onTarget` learns where postgres.js connects (for pings while the node is backing off). */
  constructor(onTarget?: (target: PingTarget) => void) {
    this.#onTarget = onTarget;
  }

  /** The `socket` option for postgres(): resolves with a connected socket. */
  readonly factory = (target: SocketTarget): Promise<net.Socket> =>
    new Promise((resolve, reject) => {
      this.#onTarget?.({
        host: target.host[0] ?? "localhost",
        port: target.port[0] ?? 5432,
        path: target.path || undefined,
      });
      const s = new net.Socket();
      this.#sockets.add(s);
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        s.destroy();
        reject(e);
      };
      s.once("error", fail);
      s.once("close", () => {
        this.#sockets.delete(s);
        fail(Object.assign(new Error("connection destroyed"), { code: "CONNECTION_DESTROYED" }));
      });
      s.once("connect", () => {
        settled = true;
        s.off("error", fail);
        resolve(s);
      });
      if (target.path) s.connect(target.path);
      else s.connect(target.port[0] ?? 5432, target.host[0] ?? "localhost");
    });

  /** Destroys every socket at once (no goodbye). */
  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }
}
