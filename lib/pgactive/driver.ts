/**
 * postgres.js set up for one monitored node: a single connection over the node's own socket pool
 * (so a hung node's sockets can be destroyed at its deadline), prepared statements allowed, no
 * type fetch, no idle or lifetime end, and the probe deadline as statement_timeout.
 */
import postgres from "postgres";
import { parseDsn } from "./dsn.ts";
import type { SocketPool } from "./socket_pool.ts";

/** A postgres.js instance. */
export type Sql = ReturnType<typeof postgres>;

/** postgres.js for one node: one connection over `sockets`, prepared statements, no idle end. */
export function openDriver(
  dsn: string,
  sockets: SocketPool,
  o: { statementTimeoutMs: number; connectTimeoutMs: number; onClose: () => void },
): Sql {
  const parsed = parseDsn(dsn);
  const options = {
    socket: sockets.factory,
    max: 1,
    // Allows prepared statements; only the probe asks for one (sql.unsafe defaults to unnamed).
    prepare: true,
    fetch_types: false,
    idle_timeout: null,
    max_lifetime: null,
    connect_timeout: Math.max(o.connectTimeoutMs / 1000, 0.05),
    onnotice: () => {},
    onclose: o.onClose,
    connection: {
      application_name: "pgactive-tools",
      statement_timeout: Math.max(Math.floor(o.statementTimeoutMs), 1),
    },
  };
  // deno-lint-ignore no-explicit-any
  return parsed.url ? postgres(parsed.url, options as any) : postgres({
    ...parsed.options,
    ...options,
    // deno-lint-ignore no-explicit-any
  } as any);
}
