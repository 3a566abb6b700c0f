/** Structured access-log lines around the whole application, at a rate an operator can read. */
import type { AccessLogMode } from "../config/types.ts";
import type { Logger } from "../telemetry/mod.ts";

type Handler = (request: Request) => Response | Promise<Response>;

/** Options of {@link withAccessLog}. */
export interface AccessLogOptions {
  /** Which requests get a line (default "sampled"; see AccessLogMode). */
  mode?: AccessLogMode;
  /** "sampled": at most one line per probe path per this many ms (default 60 s). */
  sampleEveryMs?: number;
  /** Clock (ms), for tests. */
  now?: () => number;
}

/** Paths scraped and polled every few seconds: in "sampled" mode their successes are summarised. */
const PROBE_PATHS = new Set(["/health", "/metrics"]);

/**
 * Wraps `handler` so requests log `{"msg":"request", method, path, status, duration_ms}` at info
 * level once the response is produced (for /watch: when the stream starts). "sampled" keeps one
 * line per minute per probe path for successful /health and /metrics requests, with `count`, the
 * requests that line stands for (itself included); errors are always logged. The path is logged
 * without its query string and no header is logged, so a token never reaches the log. Wrapping
 * outside hono keeps its single-handler fast path for unauthenticated routes.
 */
export function withAccessLog(
  handler: Handler,
  logger: Logger,
  options: AccessLogOptions = {},
): Handler {
  const mode = options.mode ?? "sampled";
  const every = options.sampleEveryMs ?? 60_000;
  const now = options.now ?? (() => performance.now());
  /** Probe path -> requests since its last line, and when that line was written. */
  const samples = new Map<string, { count: number; at: number }>();

  /** The `count` of this request's line, or null when it gets no line. */
  const lineCount = (path: string, status: number): number | null => {
    if (status >= 400 || mode === "all") return 1;
    if (mode === "errors") return null;
    if (!PROBE_PATHS.has(path)) return 1;
    const t = now();
    const sample = samples.get(path);
    if (sample === undefined || t - sample.at >= every) {
      samples.set(path, { count: 0, at: t });
      return (sample?.count ?? 0) + 1;
    }
    sample.count++;
    return null;
  };

  return async (request) => {
    const start = performance.now();
    let status = 500;
    try {
      const response = await handler(request);
      status = response.status;
      return response;
    } finally {
      const path = pathOf(request.url);
      const count = lineCount(path, status);
      if (count !== null) {
        logger.info("request", {
          method: request.method,
          path,
          status,
          duration_ms: Math.round((performance.now() - start) * 100) / 100,
          ...(count > 1 ? { count } : {}),
        });
      }
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
