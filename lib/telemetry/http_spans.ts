/** HTTP server spans around a fetch handler, per the OpenTelemetry HTTP semantic conventions. */
import { tracing } from "./tracing.ts";

/** Options of {@link traceRequests}. */
export interface TraceRequestsOptions {
  /** The route template of a path (`http.route`), or undefined when no route matches. */
  route: (path: string) => string | undefined;
}

/**
 * Wraps `handler` so each request runs in a SERVER span named `METHOD route`, with
 * http.request.method, url.path, url.scheme, http.route and http.response.status_code.
 * A W3C `traceparent` request header makes it a child of the caller's span. The span ends when
 * the response head is ready (a /watch stream is not waited for).
 */
export function traceRequests(
  handler: (request: Request) => Response | Promise<Response>,
  options: TraceRequestsOptions,
): (request: Request) => Response | Promise<Response> {
  return (request) => {
    const t = tracing();
    if (!t.enabled) return handler(request);
    const url = new URL(request.url);
    const route = options.route(url.pathname);
    const method = request.method;
    return t.span(route ? `${method} ${route}` : method, {
      kind: "server",
      traceparent: request.headers.get("traceparent"),
      attributes: {
        "http.request.method": method,
        "url.path": url.pathname,
        "url.scheme": url.protocol.replace(":", ""),
        ...(route ? { "http.route": route } : {}),
      },
    }, async (span) => {
      const response = await handler(request);
      span.setAttributes({ "http.response.status_code": response.status });
      if (response.status >= 500) span.fail(String(response.status));
      return response;
    });
  };
}
