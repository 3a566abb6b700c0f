/** /history, /history/links and /conflicts: stored metrics and conflicts from the Store, as JSON. */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ConflictRecord } from "../snapshot/mod.ts";
import type { ConflictQuery, LinkHistoryQuery, NodeHistoryQuery, StoreLike } from "./deps.ts";
import { checkRange, parseLimit, parseName, parseTime } from "./params.ts";

/**
 * Routes reading `store`; every one answers 503 when no store is configured. Without `limit` the
 * store's default row count applies.
 */
export function historyRoutes(store: StoreLike | null): Hono {
  const routes = new Hono();
  const need = (): StoreLike => {
    if (store) return store;
    throw new HTTPException(503, {
      message: "No history store is configured: history and conflicts are unavailable",
    });
  };

  routes.get("/history", (c) => {
    const q = c.req.query();
    const from = parseTime("from", q.from);
    const to = parseTime("to", q.to);
    checkRange("from", from, "to", to);
    const query: NodeHistoryQuery = compact({
      node: parseName("node", q.node),
      from,
      to,
      limit: parseLimit(q.limit),
    });
    return c.json({ points: need().nodeHistory(query) });
  });

  routes.get("/history/links", (c) => {
    const q = c.req.query();
    const since = parseTime("since", q.since);
    const until = parseTime("until", q.until);
    checkRange("since", since, "until", until);
    const query: LinkHistoryQuery = compact({
      from: parseName("from", q.from),
      to: parseName("to", q.to),
      since,
      until,
      limit: parseLimit(q.limit),
    });
    return c.json({ points: need().linkHistory(query) });
  });

  routes.get("/conflicts", (c) => {
    const q = c.req.query();
    const query: ConflictQuery = compact({
      since: parseTime("since", q.since),
      node: parseName("node", q.node),
      limit: parseLimit(q.limit),
    });
    return c.json({ conflicts: need().conflicts(query).map(withoutRowImages) });
  });

  return routes;
}

/** Copies only the documented fields, so stored row images (personal data) never leave. */
function withoutRowImages(r: ConflictRecord): ConflictRecord {
  return {
    node: r.node,
    conflict_id: r.conflict_id,
    local_conflict_time: r.local_conflict_time,
    object_schema: r.object_schema,
    object_name: r.object_name,
    remote_node: r.remote_node,
    conflict_type: r.conflict_type,
    conflict_resolution: r.conflict_resolution,
    error_sqlstate: r.error_sqlstate,
    error_message: r.error_message,
  };
}

/** Drops undefined fields (exactOptionalPropertyTypes: absent, not undefined). */
function compact<T extends Record<string, unknown>>(
  obj: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
