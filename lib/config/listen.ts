/**
 * `server.listen`: ":8080", "127.0.0.1:8080", "[::1]:8080", "localhost:8080", or a bare port
 * ("8080" / 8080) meaning all IPv4 interfaces. Port 0 lets the OS pick a free port (tests).
 */
import type { ResolvedConfig } from "./types.ts";

/** Host (IPv6 without brackets) and port to bind. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const LISTEN_RE = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]*)):(\d{1,5})$/;
const HOSTNAME_RE =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Parses a listen address; an empty host means "0.0.0.0". Throws a `RangeError`. */
export function parseListen(listen: string | number): ListenAddress {
  const text = String(listen).trim();
  const m = LISTEN_RE.exec(/^\d+$/.test(text) ? `:${text}` : text);
  const bad = () =>
    new RangeError(
      `invalid listen address ${JSON.stringify(String(listen))}: use ":PORT", "HOST:PORT" or ` +
        `"[IPv6]:PORT" (e.g. ":8080", "127.0.0.1:8080", "[::1]:8080")`,
    );
  if (!m) throw bad();
  const port = Number(m[3]);
  if (port > 65_535) throw new RangeError(`invalid port ${port} in "${listen}": must be 0-65535`);
  if (m[1] !== undefined) {
    try {
      new URL(`http://[${m[1]}]/`);
    } catch {
      throw bad();
    }
    return { host: m[1], port };
  }
  const host = m[2] ?? "";
  if (host === "") return { host: "0.0.0.0", port };
  if (!HOSTNAME_RE.test(host)) throw bad();
  return { host, port };
}

/** Formats a host and port for a URL or log line, bracketing IPv6: "[::1]:8080". */
export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The URL a local client uses to reach the configured server: wildcard hosts become loopback
 * ("0.0.0.0" -> 127.0.0.1, "::" -> [::1]), https when TLS is configured.
 */
export function serverUrlFromListen(config: ResolvedConfig): string {
  const { host, port, tls } = config.server;
  const target = host === "0.0.0.0" || host === "" ? "127.0.0.1" : isIpv6Any(host) ? "::1" : host;
  return `${tls ? "https" : "http"}://${formatHostPort(target, port)}`;
}

function isIpv6Any(host: string): boolean {
  try {
    return host.includes(":") && new URL(`http://[${host}]/`).hostname === "[::]";
  } catch {
    return false;
  }
}
