/**
 * A TCP proxy in front of a sandbox node (127.0.0.1, a free port): each client connection gets its
 * own upstream connection. Used to slow connects (tests/pgactive/cold_connect_test.ts) and to count
 * the statements a tool sends (bench/exporter_bench.ts).
 */

/** What a proxy does besides forwarding. */
export interface TcpProxyOptions {
  /** Runs for each accepted client before its upstream connection is opened (e.g. a delay). */
  onAccept?: () => Promise<void> | void;
  /** Forwards the client's bytes upstream (default: a plain pipe); may read them on the way. */
  forward?: (client: Deno.Conn, upstream: Deno.Conn) => Promise<void>;
}

/** A running proxy: its port, how many clients it accepted, and close() (ends every connection). */
export interface TcpProxy {
  readonly port: number;
  readonly accepted: number;
  close(): Promise<void>;
}

/** Starts a proxy to `targetPort`. */
export function tcpProxy(targetPort: number, options: TcpProxyOptions = {}): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  const forward = options.forward ??
    ((client: Deno.Conn, upstream: Deno.Conn) => client.readable.pipeTo(upstream.writable));
  let accepted = 0;
  const serve = async (client: Deno.Conn) => {
    conns.add(client);
    accepted++;
    await options.onAccept?.();
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    } catch {
      return client.close();
    }
    conns.add(upstream);
    await Promise.allSettled([
      forward(client, upstream),
      upstream.readable.pipeTo(client.writable),
    ]);
  };
  const loop = (async () => {
    try {
      for await (const c of listener) void serve(c);
    } catch { /* closed */ }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return accepted;
    },
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await loop;
    },
  };
}
