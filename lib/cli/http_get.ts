/**
 * One HTTP/1.1 GET over a plain TCP connection (`connection: close`), for the CLI's one-shot reads
 * of an http:// server: fetch costs about 12 ms of start-up to set up its client, a third of
 * `psql -c 'select 1'`; this costs about 5. https://, a custom fetch or a proxy in the
 * environment use fetch instead (see server_read.ts).
 */

/** An answer: status, body text and its headers (`header("etag")`: case-insensitive, trimmed). */
export interface HttpAnswer {
  status: number;
  text: string;
  header(name: string): string | null;
}

/** Status and body text of a GET of `url`; rejects on network errors or when `signal` aborts. */
export async function httpGet(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  signal.throwIfAborted();
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const conn = await Deno.connect({ hostname, port: Number(url.port || 80) });
  const onAbort = () => {
    try {
      conn.close();
    } catch { /* closed */ }
  };
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`];
    for (const [k, v] of Object.entries({ ...headers, connection: "close" })) {
      lines.push(`${k}: ${v}`);
    }
    await writeAll(conn, new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`));
    const raw = await readAll(conn);
    signal.throwIfAborted();
    return parseResponse(raw);
  } finally {
    signal.removeEventListener("abort", onAbort);
    onAbort();
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let n = 0; n < data.length;) n += await conn.write(data.subarray(n));
}

async function readAll(conn: Deno.Conn): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const buf = new Uint8Array(64 * 1024);
  while (true) {
    const n = await conn.read(buf);
    if (n === null) break;
    parts.push(buf.slice(0, n));
  }
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

/** Status line, headers, then the body: as is, cut at content-length, or de-chunked. */
export function parseResponse(raw: Uint8Array): HttpAnswer {
  const end = indexOf(raw, [13, 10, 13, 10], 0);
  if (end < 0) throw new TypeError("incomplete HTTP response");
  const head = new TextDecoder().decode(raw.subarray(0, end)).split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "");
  if (!status) throw new TypeError(`not an HTTP response: ${JSON.stringify(head[0] ?? "")}`);
  const rawHeader = (name: string) =>
    head.slice(1).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1).trim();
  const header = (name: string) => rawHeader(name)?.toLowerCase();
  let body = raw.subarray(end + 4);
  if (header("transfer-encoding")?.includes("chunked")) body = dechunk(body);
  else if (header("content-length") !== undefined) {
    const length = Number(header("content-length"));
    if (body.length < length) throw new TypeError("truncated HTTP response body");
    body = body.subarray(0, length);
  }
  return {
    status: Number(status[1]),
    text: new TextDecoder().decode(body),
    header: (name) => rawHeader(name) ?? null,
  };
}

function dechunk(data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (true) {
    const eol = indexOf(data, [13, 10], at);
    if (eol < 0) throw new TypeError("truncated chunked body");
    const size = parseInt(new TextDecoder().decode(data.subarray(at, eol)).split(";")[0]!, 16);
    if (!Number.isFinite(size)) throw new TypeError("bad chunk size");
    if (size === 0) break;
    if (eol + 2 + size > data.length) throw new TypeError("truncated chunked body");
    parts.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return concat(parts);
}

function indexOf(data: Uint8Array, seq: number[], from: number): number {
  outer: for (let i = from; i + seq.length <= data.length; i++) {
    for (let j = 0; j < seq.length; j++) if (data[i + j] !== seq[j]) continue outer;
    return i;
  }
  return -1;
}
