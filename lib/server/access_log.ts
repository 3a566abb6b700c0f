/** One structured access-log line per request. */
import type { MiddlewareHandler } from "hono";
import type { Logger } from "../telemetry/mod.ts";

/**
 * Middleware logging `{"msg":"request", method, path, status, duration_ms}` at info level once
 * the handler has produced its response (for /watch: when the stream starts). The path is logged
 * without its query string and no header is logged, so a token can never reach the log.
 */
export function accessLog(
  logger: Logger,
  now: () => number = performance.now.bind(performance),
): MiddlewareHandler {
  return async (c, next) => {
    const start = now();
    try {
      await next();
    } finally {
      logger.info("request", {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        duration_ms: Math.round((now() - start) * 100) / 100,
      });
    }
  };
}
