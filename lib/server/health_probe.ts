/**
 * `pgactive-server --healthcheck`: asks the local server's `/health` and answers healthy or not,
 * so a container HEALTHCHECK needs neither a shell nor curl. One HTTP/1.1 request over a plain or
 * TLS socket, bounded by a deadline: a frozen server (its socket accepts, nobody answers) is
 * unhealthy, never a hang.
 */
import { type ResolvedConfig, serverUrlFromListen } from "../config/mod.ts";

/** Default deadline of the whole probe (connect, request, status line). */
export const HEALTH_PROBE_TIMEOUT_MS = 3_000;

/** Outcome of {@link probeHealth}. */
export interface HealthProbeResult {
  /** True only for a 200 answer. */
  readonly healthy: boolean;
  /** The HTTP status, or null when no answer came. */
  readonly status: number | null;
  /** One sentence for the container's health log, e.g. `GET http://127.0.0.1:8080/health: 200`. */
  readonly detail: string;
}

/** Options of {@link probeHealth}. */
export interface HealthProbeOptions {
  /** Deadline of the probe in ms (default {@link HEALTH_PROBE_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/**
 * GET /health of the server `config` describes (a wildcard listen address is asked on loopback).
 * With TLS the chain is checked against the default roots plus the configured certificate, and the
 * host name is not (the probe connects to loopback, which the certificate rarely names).
 */
export async function probeHealth(
  config: ResolvedConfig,
  options: HealthProbeOptions = {},
): Promise<HealthProbeResult> {
  const url = new URL("/health", serverUrlFromListen(config));
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = config.server.port;
  const timeoutMs = options.timeoutMs ?? HEALTH_PROBE_TIMEOUT_MS;
  const target = `GET ${url.href}`;
  let conn: Deno.Conn | null = null;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const exchange = (async () => {
    const tls = config.server.tls;
    conn = tls
      ? await Deno.connectTls({
        hostname,
        port,
        caCerts: [await Deno.readTextFile(tls.certFile)],
        unsafelyDisableHostnameVerification: true,
      })
      : await Deno.connect({ hostname, port });
    if (finished) conn.close(); // connected after the deadline: nobody will close it otherwise
    const host = url.host;
    const request = `GET /health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
    await writeAll(conn, new TextEncoder().encode(request));
    return await readStatusLine(conn);
  })();
  try {
    const outcome = await Promise.race([exchange, timedOut]);
    if (outcome === "timeout") {
      exchange.catch(() => {}); // settles once the socket is closed below
      return { healthy: false, status: null, detail: `${target}: no answer in ${timeoutMs} ms` };
    }
    return { healthy: outcome === 200, status: outcome, detail: `${target}: ${outcome}` };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { healthy: false, status: null, detail: `${target}: ${why}` };
  } finally {
    finished = true;
    clearTimeout(timer);
    try {
      (conn as Deno.Conn | null)?.close();
    } catch { /* already closed */ }
  }
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await conn.write(data.subarray(written));
}

/** Reads up to the end of the first line and returns the status code of `HTTP/1.x NNN ...`. */
async function readStatusLine(conn: Deno.Conn): Promise<number> {
  const buf = new Uint8Array(512);
  let text = "";
  while (!text.includes("\r\n") && text.length < 4096) {
    const n = await conn.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
  }
  const match = /^HTTP\/1\.[01] (\d{3})[ \r]/.exec(text);
  if (!match) throw new Error(`Not an HTTP answer: "${text.split("\r\n")[0]?.slice(0, 80)}"`);
  return Number(match[1]);
}
