/**
 * GET /history for the sparklines. The SDK has no history method yet, so this is the one request
 * the page makes without it: same origin, same bearer token, errors as one sentence.
 */
import type { HistoryPoint } from "./series.ts";

/** Node history points matching `query` (see the README's /history parameters). */
export async function fetchHistory(
  token: string | null,
  query: Record<string, string>,
  signal: AbortSignal,
): Promise<HistoryPoint[]> {
  const url = new URL("/history", location.origin);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { headers, signal });
  const body = await res.json().catch(() => null) as
    | { points?: HistoryPoint[]; error?: string }
    | null;
  if (!res.ok || !Array.isArray(body?.points)) {
    throw new Error(body?.error ?? `/history answered HTTP ${res.status}`);
  }
  return body.points;
}
