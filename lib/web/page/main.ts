/// <reference lib="dom" />
/**
 * The dashboard's entry point (bundled for the browser by lib/web/build.ts): follows /watch with
 * the SDK's resuming watch, and paints the banner, node cards, link matrix, sparklines and
 * conflict feed. Versions the watch skipped (a server restart, a slow tab) are backfilled from
 * /history, so the sparklines keep every version the server stored.
 */
import { Client, type ConflictRecord, HttpError, type Snapshot } from "../../sdk/mod.ts";
import { byId } from "./dom.ts";
import { fetchHistory } from "./history_api.ts";
import { Freshness } from "./live.ts";
import { LagHistory, WINDOW_MS } from "./series.ts";
import { askToken, hideTokenForm, storedToken, storeToken } from "./session.ts";
import { paintClock, paintSnapshot } from "./view_banner.ts";
import { paintFeed } from "./view_feed.ts";
import { LinkMatrix } from "./view_matrix.ts";
import { NodeCards } from "./view_nodes.ts";

interface Session {
  client: Client;
  token: string | null;
  signal: AbortSignal;
}

const fresh = new Freshness(2_000);
const history = new LagHistory();
const cards = new NodeCards(byId("nodes"));
const matrix = new LinkMatrix(byId<HTMLTableElement>("matrix"), byId("link-detail"));
let latest: Snapshot | null = null;
let current: { session: Session; abort: AbortController } | null = null;
let intervalFromHealth = false;
let conflictTotal: number | null = null;
let conflictsLoading: Promise<void> | null = null;

/** Starts (or restarts, with another token) everything that talks to the server. */
function connect(token: string | null): void {
  current?.abort.abort();
  const abort = new AbortController();
  const client = new Client(location.origin, { token, timeoutMs: 10_000 });
  const session = { client, token, signal: abort.signal };
  current = { session, abort };
  conflictTotal = null;
  void readInterval(session);
  void watch(session);
}

async function watch(s: Session): Promise<void> {
  let first = true;
  while (!s.signal.aborted) {
    try {
      for await (
        const snap of s.client.watchSnapshots({
          signal: s.signal,
          sinceVersion: latest?.version,
          maxDelayMs: 5_000,
          onRetry: ({ delayMs, error }) => {
            fresh.lost(performance.now(), error.message, delayMs);
            tick();
          },
        })
      ) {
        onSnapshot(s, snap);
        if (first) {
          first = false;
          if (s.token !== null) storeToken(s.token);
          hideTokenForm();
          void loadHistory(s);
        }
      }
      return;
    } catch (err) {
      if (s.signal.aborted) return;
      if (err instanceof HttpError && err.status === 401) {
        storeToken(null);
        fresh.lost(performance.now(), "the server requires an API token", null);
        tick();
        askToken(
          s.token === null
            ? "This server requires an API token (server.auth_token). Enter it to connect."
            : "The server refused this token (HTTP 401). Check server.auth_token and try again.",
          connect,
        );
        return;
      }
      fresh.lost(performance.now(), (err as Error).message, 5_000);
      tick();
      await new Promise((r) => setTimeout(r, 5_000));
    }
  }
}

function onSnapshot(s: Session, snap: Snapshot): void {
  const prev = latest;
  const wasLost = fresh.view(performance.now()).state === "lost";
  latest = snap;
  fresh.received(performance.now());
  if (!intervalFromHealth && prev && snap.version === prev.version + 1) {
    fresh.intervalMs = Date.parse(snap.collected_at) - Date.parse(prev.collected_at);
  }
  if (prev && snap.version > prev.version + 1) void backfill(s, prev, snap);
  history.addSnapshot(snap);
  paintSnapshot(snap);
  cards.update(snap, history, Date.now());
  matrix.update(snap);
  tick();
  if (performance.getEntriesByName("pgactive:first-render").length === 0) {
    performance.mark("pgactive:first-render");
  }
  if (wasLost) void readInterval(s);
  if (snap.cluster.conflict_count !== conflictTotal) {
    conflictTotal = snap.cluster.conflict_count;
    void loadConflicts(s);
  }
}

/** The collector interval from /health (open even with a token); else observed. */
async function readInterval(s: Session): Promise<void> {
  try {
    const health = await s.client.health({ signal: s.signal });
    const secs = Number(health["interval_seconds"]);
    if (secs > 0) {
      fresh.intervalMs = secs * 1000;
      intervalFromHealth = true;
    }
  } catch {
    // the watch reports the connection problem
  }
}

/** The last hour of each node's lag. */
async function loadHistory(s: Session): Promise<void> {
  if (!latest) return;
  const from = new Date(Date.now() - WINDOW_MS).toISOString();
  const note = byId("history-note");
  try {
    await Promise.all(
      Object.keys(latest.nodes).map(async (node) => {
        history.addPoints(await fetchHistory(s.token, { node, from, limit: "10000" }, s.signal));
      }),
    );
    note.textContent = "";
  } catch (err) {
    if (s.signal.aborted) return;
    note.textContent = `Lag history unavailable: ${(err as Error).message}`;
  }
  redrawHistory();
}

/** Fills the versions the watch skipped between `prev` and `next` from /history. */
async function backfill(s: Session, prev: Snapshot, next: Snapshot): Promise<void> {
  try {
    const points = await fetchHistory(
      s.token,
      { from: prev.collected_at, to: next.collected_at, limit: "10000" },
      s.signal,
    );
    history.addPoints(points.filter((p) => p.version > prev.version && p.version < next.version));
    redrawHistory();
  } catch {
    // the cards say how many versions their history misses
  }
}

function redrawHistory(): void {
  if (!latest) return;
  history.trim(Date.now());
  for (const node of Object.keys(latest.nodes)) cards.drawHistory(node, history, Date.now());
}

/** The newest stored conflicts; one request at a time, repeated if the count moved meanwhile. */
function loadConflicts(s: Session): Promise<void> {
  conflictsLoading ??= (async () => {
    let seen: number | null;
    do {
      seen = conflictTotal;
      let rows: ConflictRecord[] | null = null;
      let error: string | null = null;
      try {
        rows = await s.client.getConflicts({ limit: 50, signal: s.signal });
      } catch (err) {
        if (s.signal.aborted) return;
        error = err instanceof HttpError && err.serverMessage ? err.serverMessage : String(err);
      }
      paintFeed(byId<HTMLOListElement>("feed"), byId("feed-note"), rows, error);
    } while (seen !== conflictTotal && !s.signal.aborted);
  })().finally(() => conflictsLoading = null);
  return conflictsLoading;
}

function tick(): void {
  paintClock(latest, fresh.view(performance.now()), Date.now());
}

byId("forget").addEventListener("click", () => {
  storeToken(null);
  current?.abort.abort();
  askToken("Token forgotten. Enter a token to connect again.", connect);
});
setInterval(tick, 1_000);
setInterval(redrawHistory, 30_000);
storeToken(storedToken());
connect(storedToken());
