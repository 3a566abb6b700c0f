/**
 * A TCP proxy of the test's own in front of one PostgreSQL node: it forwards, or (blackhole) keeps
 * every connection open and forwards nothing either way, as a network that drops packets would.
 * It also sorts the connections it accepts by their first packet: a ping (SSLRequest) or a real
 * connection attempt (StartupMessage).
 */

/** Connections seen, by their first packet. */
export interface ProxyCounts {
  connections: number;
  /** SSLRequest (code 80877103): the collector's ping. */
  sslRequests: number;
  /** StartupMessage (protocol 3.0): a full connection attempt. */
  startups: number;
}

/** A running proxy. */
export interface TcpProxy extends AsyncDisposable {
  readonly port: number;
  readonly counts: ProxyCounts;
  /** "forward" (default) or "blackhole" (applies to open connections too). */
  mode: "forward" | "blackhole";
}

function kind(first: Uint8Array): "ssl" | "startup" | "other" {
  if (first.length < 8) return "other";
  const code = new DataView(first.buffer, first.byteOffset, 8).getUint32(4);
  return code === 80877103 ? "ssl" : code === 196608 ? "startup" : "other";
}

/** Starts a proxy on a free loopback port to 127.0.0.1:`targetPort`. */
export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const counts: ProxyCounts = { connections: 0, sslRequests: 0, startups: 0 };
  const proxy = {
    port: (listener.addr as Deno.NetAddr).port,
    counts,
    mode: "forward" as "forward" | "blackhole",
  };
  const close = (c: Deno.Conn) => {
    if (!open.delete(c)) return;
    try {
      c.close();
    } catch { /* closed */ }
  };
  /** Copies `from` to `to` while forwarding, drops what it reads otherwise (or always: no `to`). */
  const pump = async (from: Deno.Conn, to: Deno.Conn | null) => {
    const buf = new Uint8Array(16 * 1024);
    try {
      while (true) {
        const n = await from.read(buf);
        if (n === null) break;
        if (to !== null && proxy.mode === "forward") await to.write(buf.subarray(0, n));
      }
    } catch { /* either side went away */ }
    close(from);
    if (to !== null) close(to);
  };
  const serve = async (client: Deno.Conn) => {
    open.add(client);
    counts.connections++;
    const first = new Uint8Array(16 * 1024);
    let n: number | null = null;
    try {
      n = await client.read(first);
    } catch { /* gone */ }
    if (n === null) return close(client);
    const k = kind(first.subarray(0, n));
    if (k === "ssl") counts.sslRequests++;
    if (k === "startup") counts.startups++;
    if (proxy.mode === "blackhole") return void pump(client, null);
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ hostname: "127.0.0.1", port: targetPort });
    } catch {
      return close(client);
    }
    open.add(upstream);
    try {
      await upstream.write(first.subarray(0, n));
    } catch { /* pump notices */ }
    void pump(client, upstream);
    void pump(upstream, client);
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) void serve(conn);
    } catch { /* listener closed */ }
  })();
  return Object.assign(proxy, {
    async [Symbol.asyncDispose]() {
      listener.close();
      await accepting;
      for (const c of [...open]) close(c);
      await new Promise((r) => setTimeout(r, 20)); // let the pumps see their closed sockets
    },
  });
}
