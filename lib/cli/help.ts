/** Help texts: the overview and one page per command (each lists the exit codes). */
import { VERSION } from "../version/mod.ts";
import type { Command } from "./args.ts";

/** The CLI's version (lib/version; also in deno.json). */
export const CLI_VERSION = VERSION;

const EXIT_CODES = `Exit codes (Nagios):
  0    OK        healthy, caught up, or a display command without --fail-on-*
  1    WARNING   a node is DEGRADED (check, or --fail-on-warn)
  2    CRITICAL  a node is CRITICAL or DOWN (check, --fail-on-warn,
                 --fail-on-crit); wait: timed out with lag remaining
  3    UNKNOWN   server unreachable or failing, no node readable, no data
  64   USAGE     unknown command or flag, bad value, missing or invalid config
  130            interrupted by Ctrl-C (watch ends with 0)`;

const COMMON = `Flags:
  --format table|json  output format (default table); json: one document on
                       stdout, diagnostics on stderr
  --server URL         pgactive-server URL (env PGACTIVE_TOOLS_SERVER; default
                       from server.listen in the config, else
                       http://127.0.0.1:8080)
  --token TOKEN        API bearer token (env PGACTIVE_TOOLS_TOKEN; default
                       server.auth_token from the config)
  --config PATH        config file (default ./config/tools.yaml; optional
                       unless --direct)
  --direct             collect once from the configured nodes instead of
                       asking the server
  --node NAME          only this node and the links to and from it
  --fail-on-warn       display commands: exit 1 when DEGRADED, 2 when
                       CRITICAL or DOWN
  --fail-on-crit       display commands: exit 2 when CRITICAL or DOWN
  -h, --help           this help`;

const PAGES: Record<Command, string> = {
  lag: `pgactive-tools lag [flags]
Replication lag per node (summary of its inbound links) and per link
origin -> target: lag in seconds, bytes and transactions, walsender state and
a catch-up estimate, then one line per node that is not HEALTHY with its
reasons.
JSON: {"version", "collected_at", "status",
       "nodes": {NAME: {"status", "reasons", "lag_seconds", "lag_bytes",
                        "lag_xid", "walsender_active"}},
       "links": [Link exactly as in GET /snapshot]}`,
  conflicts: `pgactive-tools conflicts [flags]
Conflicts per node (total, rate per minute against the conflicts_warn
threshold, apply errors) and per link, then recent conflicts grouped by type
and table (from GET /conflicts; with --direct from the nodes' conflict
history). Row images are never shown.
JSON: {"version", "collected_at", "status", "threshold_per_minute",
       "nodes": {NAME: {"status", "conflict_count", "conflicts_per_minute",
                        "apply_errors"}},
       "links": [{"from", "to", "conflicts", "apply_errors"}],
       "recent": [{"conflict_type", "table", "count", "last_at"}] | null}`,
  status: `pgactive-tools status [flags]
Every node with its status, reasons, probe error, pgactive and extension
versions and membership status.
JSON: the snapshot exactly as GET /snapshot returns it (filtered by --node).`,
  check: `pgactive-tools check [flags]
One Nagios-style line for the whole mesh, always with an exit code, e.g.
  PGACTIVE CRITICAL - 3 nodes: 2 healthy, 1 critical (node2: <reason>)
JSON: {"label", "exit_code", "summary", "status", "version", "collected_at",
       "nodes": {NAME: {"status", "reasons"}}}`,
  watch: `pgactive-tools watch [--count N] [flags]
Follows GET /watch (with --direct: collects every interval). Redraws the
status in place on a terminal, prints one line per version otherwise, one
JSON snapshot per line with --format json. Reconnects by itself; stops on
Ctrl-C (exit 0) or after --count N snapshots.`,
  wait: `pgactive-tools wait [--barrier NODE=LSN,...] [--max-lag DURATION]
                    [--timeout DURATION] [flags]
Blocks until every node is reachable and has applied everything committed on
any node before wait started: the barrier is each node's WAL position in the
first snapshot collected after the start (or the --barrier positions, e.g. the
pg_current_wal_lsn() read after your own write). --max-lag N also accepts links
whose oldest unapplied commit is at most N old (not a barrier). Gives up after
--timeout (default 5m). Progress goes to stderr. Exit 0 when caught up, 2 on
timeout with transactions unapplied, 3 when the cluster cannot be read.
Durations: 500ms, 30s, 5m (a bare number is seconds).
JSON: {"caught_up", "exit_code", "elapsed_ms", "max_lag_seconds", "version",
       "blocking": ["node1 -> node2: lag 3.2 s > 0 s", ...]}`,
  doctor: `pgactive-tools doctor [flags]
Finds what will break the cluster before it breaks: the monitoring role's
grants, settings (wal_level, track_commit_timestamp, shared_preload_libraries,
output_plugin_libraries, slot/walsender/worker headroom, max_slot_wal_keep_size,
pgactive.* drift), PostgreSQL/pgactive/extension versions, clock skew, schema
drift, tables without a primary key, colliding sequences, inactive and orphan
slots, retained WAL. One line per finding:
  SEVERITY  CHECK  NODE|cluster  what was seen  fix: exact SQL / setting / GRANT
From the server's latest run (GET /doctor, every 5 min); --direct runs it now
against the configured nodes. --node keeps that node's and cluster findings.
Exit 0 all OK, 1 any WARN, 2 any FAIL, 3 no node could be read.
JSON: {"checked_at", "duration_ms", "status", "exit_code",
       "nodes": {NAME: {"read", "error"}},
       "findings": [{"check", "severity", "node", "seen", "fix"}]}`,
  version: `pgactive-tools version   (or pgactive-tools --version)
Prints the version, the commit it was built from and the Deno runtime
(JSON: {"version", "commit", "built_at", "deno", "target"}).`,
  help: `pgactive-tools help [COMMAND]
Shows the overview or one command's page (same as COMMAND --help).`,
};

/** The overview (`pgactive-tools help`). */
export function overview(): string {
  return `pgactive-tools ${CLI_VERSION}: monitoring for pgactive active-active PostgreSQL clusters

Usage: pgactive-tools <command> [flags]

Commands:
  lag         replication lag per node and per link
  conflicts   conflict totals, rates and recent conflicts
  status      node statuses, reasons and versions
  check       one-line Nagios summary with exit code
  watch       live view of every new snapshot
  wait        block until the mesh has caught up (upgrade and failover runbooks)
  doctor      what will break the cluster, with the fix for each finding
  version     print the version
  help        this overview, or help COMMAND

Command flags: wait --barrier NODE=LSN,... --max-lag DURATION --timeout
DURATION; watch --count N
(see pgactive-tools COMMAND --help)

${COMMON}

${EXIT_CODES}
`;
}

/** One command's page. */
export function commandHelp(command: Command): string {
  return `${PAGES[command]}\n\n${COMMON}\n\n${EXIT_CODES}\n`;
}
