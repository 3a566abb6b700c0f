/**
 * One HTTP request to pgactive-server with a deadline, an optional caller signal and the bearer
 * token, mapping every failure to a typed SDK error. Runtime-neutral (fetch + AbortController).
 */
import { HttpError, networkReason, oneLine, ServerUnavailableError } from "./errors.ts";

/** What a request needs from its client. */
export interface RequestContext {
  /** Base URL without a trailing slash. */
  base: URL;
  /** Base URL safe for messages. */
  display: string;
  token: string | null;
  fetch: typeof fetch;
}

/** Options of one request. */
export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Deadline for the response headers (and the body, for {@link requestText}). */
  timeoutMs: number;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Statuses returned instead of thrown (e.g. 503 from /health). */
  accept?: readonly number[];
}

/** Longest time a timer can wait (2^31-1 ms, about 24.8 days): a longer one would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/** `value` if it is a usable timeout in ms; else a RangeError naming `name` and the bounds. */
export function checkTimeout(name: string, value: number): number {
  if (!(value >= 0 && value <= MAX_TIMEOUT_MS)) {
    throw new RangeError(
      `${name} must be between 0 and ${MAX_TIMEOUT_MS} ms (about 24.8 days), got ${value}`,
    );
  }
  return value;
}

/** A deadline and a caller signal combined into one signal; dispose() clears the timer. */
export class Deadline {
  readonly controller = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #outer: AbortSignal | undefined;
  #onAbort = () => this.controller.abort(this.#outer?.reason);
  timedOut = false;

  constructor(timeoutMs: number, outer?: AbortSignal) {
    this.#outer = outer;
    if (outer?.aborted) this.controller.abort(outer.reason);
    outer?.addEventListener("abort", this.#onAbort, { once: true });
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("deadline"));
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Stops the timer (the combined signal stays usable for a body stream). */
  clearTimer(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener("abort", this.#onAbort);
  }
}

/** Sends a GET and returns the response (status 2xx, or one of `accept`); caller owns the body. */
export async function send(
  ctx: RequestContext,
  path: string,
  options: RequestOptions,
  deadline: Deadline,
): Promise<Response> {
  const url = new URL(ctx.base.pathname.replace(/\/$/, "") + path, ctx.base);
  for (const [k, v] of Object.entries(options.query ?? {})) {
    if (v !== undefined) url.searchParams.set(k, v);
  }
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (ctx.token !== null) headers.authorization = `Bearer ${ctx.token}`;
  let response: Response;
  try {
    response = await ctx.fetch(url, { headers, signal: deadline.signal });
  } catch (err) {
    throw failure(ctx, options, deadline, err);
  }
  if (response.ok || options.accept?.includes(response.status)) return response;
  const message = await errorText(response);
  throw new HttpError(ctx.display, path, response.status, message);
}

/** Sends a GET and reads the whole body as text, all within the deadline. */
export async function requestText(
  ctx: RequestContext,
  path: string,
  options: RequestOptions,
): Promise<{ status: number; text: string; headers: Headers }> {
  const deadline = new Deadline(options.timeoutMs, options.signal);
  try {
    const response = await send(ctx, path, options, deadline);
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw failure(ctx, options, deadline, err);
    }
    return { status: response.status, text, headers: response.headers };
  } finally {
    deadline.dispose();
  }
}

/** Maps a fetch/body failure: caller abort -> the signal's reason, else ServerUnavailableError. */
export function failure(
  ctx: RequestContext,
  options: RequestOptions,
  deadline: Deadline,
  err: unknown,
): unknown {
  if (options.signal?.aborted) return options.signal.reason;
  if (deadline.timedOut) {
    return new ServerUnavailableError(ctx.display, `timed out after ${options.timeoutMs} ms`, {
      cause: err,
    });
  }
  if (err instanceof HttpError) return err;
  return new ServerUnavailableError(ctx.display, networkReason(err), { cause: err });
}

/** The `{"error": "..."}` text of an error response, or a short excerpt of another body. */
async function errorText(response: Response): Promise<string> {
  let body = "";
  try {
    body = await response.text();
  } catch {
    return "";
  }
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === "string") return oneLine(parsed.error, 200);
  } catch {
    // not JSON: fall through to an excerpt
  }
  return oneLine(body, 120);
}
