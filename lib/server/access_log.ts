/** One structured access-log line per request, wrapped around the whole application. */
import type { Logger } from "../telemetry/mod.ts";

type Handler = (request: Request) => Response | Promise<Response>;

/**
 * Wraps `handler` so each request logs `{"msg":"request", method, path, status, duration_ms}` at
 * info level once the response is produced (for /watch: when the stream starts). The path is
 * logged without its query string and no header is logged, so a token never reaches the log.
 * Wrapping outside hono keeps its single-handler fast path for unauthenticated routes.
 */
export function withAccessLog(handler: Handler, logger: Logger): Handler {
  return async (request) => {
    const start = performance.now();
    let status = 500;
    try {
      const response = await handler(request);
      status = response.status;
      return response;
    } finally {
      logger.info("request", {
        method: request.method,
        path: pathOf(request.url),
        status,
        duration_ms: Math.round((performance.now() - start) * 100) / 100,
      });
    }
  };
}

/** The path of an absolute URL, without query string or fragment (no URL parsing). */
function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start < 0) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}
