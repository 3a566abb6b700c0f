/**
 * Many /watch clients for benches, on raw HTTP/1.1 connections (cheaper than fetch, so the
 * client's own CPU does not dominate the figures). Each client keeps the versions it received
 * and when (epoch ms, sub-millisecond).
 */

/** Epoch ms with sub-millisecond resolution (comparable across processes on one machine). */
export const now = (): number => performance.timeOrigin + performance.now();

/** What one client received: [version, receipt time] in order, the first (current) one included. */
export type Receipts = [number, number][];

/**
 * Opens `n` streams on `url` (a /watch URL); calls `onReady` once every stream has its first
 * event; resolves with each client's receipts when the server ends the streams.
 */
export async function openSseClients(
  url: string,
  n: number,
  onReady: () => void,
): Promise<Receipts[]> {
  const { hostname, port, pathname } = new URL(url);
  const request = new TextEncoder().encode(
    `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  let firsts = 0;
  const conns = await Promise.all(
    Array.from({ length: n }, () => Deno.connect({ hostname, port: Number(port) })),
  );
  return await Promise.all(conns.map(async (conn) => {
    const receipts: Receipts = [];
    await conn.write(request);
    const buf = new Uint8Array(64 * 1024);
    let carry = new Uint8Array(0);
    while (true) {
      const got = await conn.read(buf).catch(() => null);
      if (got === null) break;
      const at = now();
      const bytes = carry.length ? concat(carry, buf.subarray(0, got)) : buf.subarray(0, got);
      for (const version of eventIds(bytes)) {
        if (receipts.length === 0 && ++firsts === n) onReady();
        receipts.push([Number(version), at]);
      }
      // Keep the last (possibly incomplete) line so an id split across reads is still seen.
      const tail = bytes.slice(-24);
      const nl = tail.lastIndexOf(10);
      carry = nl >= 0 ? tail.subarray(nl) : new Uint8Array(0);
    }
    conn.close();
    return receipts;
  }));
}

/** Versions of the `\nid: <v>\n` lines in a chunk (JSON data never holds a raw newline). */
function* eventIds(bytes: Uint8Array): Generator<string> {
  let at = bytes.indexOf(10);
  while (at >= 0 && at + 5 < bytes.length) {
    if (bytes[at + 1] === 105 && bytes[at + 2] === 100 && bytes[at + 3] === 58) {
      const end = bytes.indexOf(10, at + 5);
      if (end < 0) break;
      yield new TextDecoder().decode(bytes.subarray(at + 5, end));
    }
    at = bytes.indexOf(10, at + 1);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The `p` quantile (0-1) of `values`, NaN for none. */
export function quantile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/**
 * Runs this module's client side in a child process (`deno run -A <entry> ... --client URL`):
 * resolves `ready` when the child prints "ready", and `receipts` with what it prints last.
 */
export function spawnClients(entry: string, args: string[]): {
  ready: Promise<void>;
  receipts: Promise<Receipts[]>;
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry, ...args],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => markReady = resolve);
  const receipts = (async () => {
    let text = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      if (text.startsWith("ready\n")) markReady();
    }
    await child.status;
    if (!text.startsWith("ready\n")) throw new Error("the client process did not get ready");
    return JSON.parse(text.slice("ready\n".length)) as Receipts[];
  })();
  return { ready, receipts };
}

/** The child's side of {@link spawnClients}: prints "ready", then every client's receipts. */
export async function runClientProcess(url: string, n: number): Promise<void> {
  const all = await openSseClients(url, n, () => console.log("ready"));
  console.log(JSON.stringify(all));
}
