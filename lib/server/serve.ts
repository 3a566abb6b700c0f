/** Serving the app with Deno.serve (optional TLS) and shutting it down gracefully. */
import { serverUrlFromListen } from "../config/mod.ts";
import { silentLogger } from "../telemetry/mod.ts";
import { type AppDeps, createApp, type ServerApp } from "./app.ts";

/** Options of {@link startServer}: the app's dependencies plus where to listen. */
export interface ServeOptions extends AppDeps {
  /** Overrides config.server.host. */
  hostname?: string;
  /** Overrides config.server.port (0 picks a free port). */
  port?: number;
  /** How long shutdown() waits for open responses before giving up (default 3 s). */
  shutdownTimeoutMs?: number;
}

/** A listening server. */
export interface RunningServer extends AsyncDisposable {
  /** The bound address (the real port when 0 was asked). */
  readonly addr: Deno.NetAddr;
  /** Base URL a local client can use, e.g. `http://127.0.0.1:8080` (wildcard hosts -> loopback, https with TLS). */
  readonly url: string;
  readonly app: ServerApp;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;
  /** Stops accepting, ends /watch streams, waits (bounded) for open responses. Idempotent. */
  shutdown(): Promise<void>;
}

/** Starts the API on config.server.host:port (or the overrides), with TLS when configured. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? silentLogger;
  const tls = config.server.tls;
  const tlsOptions = tls
    ? { cert: await Deno.readTextFile(tls.certFile), key: await Deno.readTextFile(tls.keyFile) }
    : {};
  const serverApp = createApp(options);
  const server = Deno.serve({
    hostname: options.hostname ?? config.server.host,
    port: options.port ?? config.server.port,
    ...tlsOptions,
    onListen: () => {},
    onError: (err) => {
      logger.error("unhandled server error", {
        error: err instanceof Error ? err.message : String(err),
      });
      return new Response(JSON.stringify({ error: "Internal server error" }), {
        status: 500,
        headers: { "Content-Type": "application/json" },
      });
    },
  }, serverApp.fetch);
  const addr = server.addr;
  const url = serverUrlFromListen({
    ...config,
    server: { ...config.server, host: addr.hostname, port: addr.port },
  });
  const timeoutMs = options.shutdownTimeoutMs ?? 3_000;
  let stopping: Promise<void> | null = null;

  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      const done = server.shutdown();
      serverApp.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      });
      const late = await Promise.race([done.then(() => false), timedOut]);
      clearTimeout(timer);
      if (late) {
        logger.warn("shutdown timed out with responses still open", { timeout_ms: timeoutMs });
      }
    })();
    return stopping;
  };

  return {
    addr,
    url,
    app: serverApp,
    finished: server.finished,
    shutdown,
    [Symbol.asyncDispose]: shutdown,
  };
}
