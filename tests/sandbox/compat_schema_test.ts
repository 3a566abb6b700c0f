/** The pgactive compatibility schema: names, types, answers, privileges, simulated conflicts. */
import assert from "node:assert/strict";
import postgres from "postgres";
import { CONFLICT_RESOLUTIONS, CONFLICT_TYPES, startSandbox } from "../../lib/sandbox/mod.ts";
import { pollUntil } from "../../lib/sandbox/process.ts";

const TS = "timestamp with time zone";
const SLOT_COLS =
  "remote_sysid text, remote_timeline oid, remote_dboid oid, local_dboid oid, replication_name name";

/** proname -> [input types, returns set, result columns (or result type)] per pgactive-surface.md. */
const SIGNATURES: Record<string, [string, boolean, string]> = {
  pgactive_version: ["", false, "text"],
  pgactive_version_num: ["", false, "integer"],
  pgactive_min_remote_version_num: ["", false, "integer"],
  pgactive_variant: ["", false, "text"],
  pgactive_get_local_nodeid: ["", false, "sysid text, timeline oid, dboid oid"],
  pgactive_get_node_identifier: ["", false, "numeric"],
  pgactive_get_local_node_name: ["", false, "text"],
  pgactive_is_active_in_db: ["", false, "boolean"],
  pgactive_is_apply_paused: ["", false, "boolean"],
  pgactive_node_status_from_char: ['"char"', false, "text"],
  pgactive_node_status_to_char: ["text", false, '"char"'],
  pgactive_parse_slot_name: ["name", false, SLOT_COLS],
  pgactive_parse_replident_name: ["text", false, SLOT_COLS],
  pgactive_get_replication_lag_info: [
    "",
    true,
    "node_name text, node_sysid text, application_name text, slot_name text, active boolean, " +
    "active_pid integer, pending_wal_decoding bigint, pending_wal_to_apply bigint, " +
    "restart_lsn pg_lsn, confirmed_flush_lsn pg_lsn, sent_lsn pg_lsn, write_lsn pg_lsn, " +
    "flush_lsn pg_lsn, replay_lsn pg_lsn",
  ],
  pgactive_get_last_applied_xact_info: [
    "text, oid, oid",
    false,
    `last_applied_xact_id oid, last_applied_xact_committs ${TS}, last_applied_xact_at ${TS}`,
  ],
  pgactive_get_stats: [
    "",
    true,
    "rep_node_id oid, rilocalid oid, riremoteid text, nr_commit bigint, nr_rollback bigint, " +
    "nr_insert bigint, nr_insert_conflict bigint, nr_update bigint, nr_update_conflict bigint, " +
    "nr_delete bigint, nr_delete_conflict bigint, nr_disconnect bigint",
  ],
  pgactive_get_workers_info: [
    "",
    true,
    "sysid text, timeline oid, dboid oid, worker_type text, pid integer, unregistered boolean, " +
    `last_error text, last_error_time ${TS}`,
  ],
};

const TABLE_COLUMNS: Record<string, string> = {
  pgactive_nodes: 'node_sysid text, node_timeline oid, node_dboid oid, node_status "char", ' +
    "node_name text, node_dsn text, node_init_from_dsn text, node_read_only boolean, " +
    "node_seq_id smallint",
  pgactive_connections: "conn_sysid text, conn_timeline oid, conn_dboid oid, conn_dsn text, " +
    "conn_apply_delay integer, conn_replication_sets text[]",
  pgactive_conflict_history: "conflict_id bigint, local_node_sysid text, local_conflict_xid xid, " +
    `local_conflict_lsn pg_lsn, local_conflict_time ${TS}, object_schema text, object_name text, ` +
    `remote_node_sysid text, remote_txid xid, remote_commit_time ${TS}, remote_commit_lsn pg_lsn, ` +
    "conflict_type pgactive.pgactive_conflict_type, " +
    "conflict_resolution pgactive.pgactive_conflict_resolution, local_tuple json, " +
    "remote_tuple json, local_tuple_xmin xid, local_tuple_origin_sysid text, error_message text, " +
    "error_sqlstate text, error_querystring text, error_cursorpos integer, error_detail text, " +
    "error_hint text, error_context text, error_columnname text, error_typename text, " +
    "error_constraintname text, error_filename text, error_lineno integer, error_funcname text, " +
    "remote_node_timeline oid, remote_node_dboid oid, local_tuple_origin_timeline oid, " +
    `local_tuple_origin_dboid oid, local_commit_time ${TS}`,
  pgactive_stats: SIGNATURES.pgactive_get_stats![2],
};

/** The monitoring queries of pgactive-observed.md section 6 (privtest.sql). */
const PRIVTEST: Record<string, string> = {
  pgactive_version: `SELECT pgactive.pgactive_version() IS NOT NULL`,
  pgactive_version_num: `SELECT pgactive.pgactive_version_num() IS NOT NULL`,
  pgactive_get_local_nodeid: `SELECT (pgactive.pgactive_get_local_nodeid()).sysid IS NOT NULL`,
  pgactive_get_local_node_name: `SELECT pgactive.pgactive_get_local_node_name() IS NOT NULL`,
  pgactive_is_active_in_db: `SELECT pgactive.pgactive_is_active_in_db() IS NOT NULL`,
  pgactive_is_apply_paused: `SELECT pgactive.pgactive_is_apply_paused() IS NOT NULL`,
  pgactive_nodes: `SELECT count(*) FROM pgactive.pgactive_nodes`,
  pgactive_connections: `SELECT count(*) FROM pgactive.pgactive_connections`,
  pgactive_get_stats: `SELECT count(*) FROM pgactive.pgactive_get_stats()`,
  pgactive_stats: `SELECT count(*) FROM pgactive.pgactive_stats`,
  pgactive_get_replication_lag_info:
    `SELECT count(*) FROM pgactive.pgactive_get_replication_lag_info()`,
  pgactive_get_last_applied_xact_info:
    `SELECT count(*) FROM pgactive.pgactive_get_last_applied_xact_info('1', 0, 1)`,
  pgactive_get_workers_info: `SELECT count(*) FROM pgactive.pgactive_get_workers_info()`,
  pgactive_conflict_history: `SELECT count(*) FROM pgactive.pgactive_conflict_history`,
  pgactive_global_locks_info: `SELECT count(*) FROM pgactive.pgactive_global_locks_info`,
  pgactive_node_status_from_char: `SELECT pgactive.pgactive_node_status_from_char('r')`,
  pgactive_parse_slot_name:
    `SELECT (pgactive.pgactive_parse_slot_name('pgactive_16385_1_0_16385__')).remote_sysid`,
  pg_replication_slots: `SELECT count(*) FROM pg_replication_slots`,
  pg_stat_replication: `SELECT count(sent_lsn) FROM pg_stat_replication`,
  pg_replication_origin_status: `SELECT count(*) FROM pg_replication_origin_status`,
  pg_replication_origin: `SELECT count(*) FROM pg_replication_origin`,
  pg_last_committed_xact: `SELECT (pg_last_committed_xact()).xid IS NOT NULL`,
};
/** Stand-ins for pgactive's C functions that the collector's probe calls on every cycle. */
const PER_PROBE = [
  "pgactive_get_local_nodeid",
  "pgactive_is_active_in_db",
  "pgactive_is_apply_paused",
  "pgactive_get_last_applied_xact_info",
  "pgactive_get_stats",
  "pgactive_get_workers_info",
];
/** What a pg_monitor-only role can run (observed section 6a). */
const PUBLIC_OK = [
  "pgactive_version",
  "pgactive_is_active_in_db",
  "pgactive_is_apply_paused",
  "pgactive_get_last_applied_xact_info",
  "pg_replication_slots",
  "pg_stat_replication",
  "pg_replication_origin",
  "pg_last_committed_xact",
];

async function runAs(dsn: string, queries: Record<string, string>) {
  const sql = postgres(dsn, { max: 1, onnotice: () => {} });
  const out: Record<string, string> = {};
  try {
    for (const [name, q] of Object.entries(queries)) {
      try {
        await sql.unsafe(q);
        out[name] = "ok";
      } catch (e) {
        out[name] = (e as Error).message;
      }
    }
  } finally {
    await sql.end({ timeout: 2 });
  }
  return out;
}

Deno.test("the pgactive compatibility schema matches pgactive 2.1.4+ and answers from real state", async (t) => {
  await using sb = await startSandbox();
  const [n1, n2, n3] = sb.nodes as [typeof sb.nodes[0], typeof sb.nodes[0], typeof sb.nodes[0]];

  await t.step("functions have pgactive's argument types and result columns", async () => {
    const rows = await sb.query(
      "node1",
      `SELECT p.proname, oidvectortypes(p.proargtypes) AS args, p.proretset AS setof,
         coalesce((SELECT string_agg(a.name || ' ' || format_type(a.typ, NULL), ', ' ORDER BY a.ord)
                   FROM unnest(p.proallargtypes, p.proargmodes, p.proargnames)
                        WITH ORDINALITY AS a(typ, mode, name, ord)
                   WHERE a.mode IN ('o', 't')), format_type(p.prorettype, NULL)) AS result
       FROM pg_proc p WHERE p.pronamespace = 'pgactive'::regnamespace`,
    );
    const got = new Map(rows.map((r) => [r.proname as string, [r.args, r.setof, r.result]]));
    for (const [name, sig] of Object.entries(SIGNATURES)) {
      assert.deepEqual(got.get(name), sig, name);
    }
    const [names] = await sb.query(
      "node1",
      `SELECT proargnames FROM pg_proc WHERE proname = 'pgactive_get_last_applied_xact_info'`,
    );
    assert.deepEqual((names!.proargnames as string[]).slice(0, 3), ["sysid", "timeline", "dboid"]);
  });

  await t.step(
    "the stand-ins a probe calls are SECURITY DEFINER plpgsql with a pinned search_path",
    async () => {
      // plpgsql keeps its plans per session; a LANGUAGE sql function with SET is re-planned on
      // every execution of the calling statement
      const rows = await sb.query(
        "node1",
        `SELECT p.proname, l.lanname, p.prosecdef, p.proconfig, p.provolatile::text AS volatility
         FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
         WHERE p.pronamespace = 'pgactive'::regnamespace AND p.proname = ANY($1::text[])
         ORDER BY p.proname`,
        [PER_PROBE],
      );
      assert.deepEqual(
        rows,
        [...PER_PROBE].sort().map((proname) => ({
          proname,
          lanname: "plpgsql",
          prosecdef: true,
          proconfig: ["search_path=pg_catalog"],
          volatility: "s",
        })),
      );
    },
  );

  await t.step("tables, views and enums have pgactive's columns and labels", async () => {
    for (const [rel, cols] of Object.entries(TABLE_COLUMNS)) {
      const [r] = await sb.query(
        "node1",
        `SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum) AS cols
         FROM pg_attribute WHERE attrelid = ('pgactive.' || $1)::regclass AND attnum > 0 AND NOT attisdropped`,
        [rel],
      );
      assert.equal(r!.cols, cols, rel);
    }
    const [e] = await sb.query(
      "node1",
      `SELECT enum_range(NULL::pgactive.pgactive_conflict_type)::text[] AS t,
              enum_range(NULL::pgactive.pgactive_conflict_resolution)::text[] AS r,
              to_regclass('pgactive.pgactive_conflict_history_id_seq') IS NOT NULL AS seq`,
    );
    assert.deepEqual(e, { t: [...CONFLICT_TYPES], r: [...CONFLICT_RESOLUTIONS], seq: true });
    const locks = await sb.query("node1", `SELECT * FROM pgactive.pgactive_global_locks_info`);
    assert.equal(locks.length, 1);
    assert.equal(locks[0]!.lock_state, "nolock");
    assert.equal(locks[0]!.npeers, 2);
    assert.equal(
      (await sb.query("node1", `SELECT * FROM pgactive.pgactive_global_locks`)).length,
      0,
    );
  });

  await t.step("identity, versions and membership", async () => {
    for (const [i, n] of sb.nodes.entries()) {
      const [r] = await sb.query(
        n.name,
        `SELECT i.*, pgactive.pgactive_get_node_identifier()::text AS ident,
                pgactive.pgactive_get_local_node_name() AS name,
                pgactive.pgactive_is_active_in_db() AS active,
                pgactive.pgactive_version() AS v, pgactive.pgactive_version_num() AS vn,
                pgactive.pgactive_min_remote_version_num() AS minv, pgactive.pgactive_variant() AS variant
         FROM pgactive.pgactive_get_local_nodeid() i`,
      );
      assert.deepEqual(r, {
        sysid: n.sysid,
        timeline: 0,
        dboid: n.dboid,
        ident: n.sysid,
        name: n.name,
        active: true,
        v: "2.1.9-sandbox",
        vn: 20109,
        minv: 20100,
        variant: "pgactive",
      });
      const nodes = await sb.query(
        n.name,
        `SELECT node_name, node_sysid, node_status::text AS status, node_seq_id, node_dsn,
                pgactive.pgactive_node_status_from_char(node_status) AS status_text
         FROM pgactive.pgactive_nodes ORDER BY node_seq_id`,
      );
      assert.deepEqual(
        nodes,
        sb.nodes.map((m, j) => ({
          node_name: m.name,
          node_sysid: m.sysid,
          status: "r",
          node_seq_id: j + 1,
          node_dsn: `host=127.0.0.1 port=${m.port} dbname=app user=postgres`,
          status_text: "pgactive_NODE_STATUS_READY",
        })),
        `pgactive_nodes on node ${i + 1}`,
      );
    }
  });

  await t.step("slot and origin names parse to the peer's identity", async () => {
    const slots = await sb.query(
      "node2",
      `SELECT p.* FROM pg_replication_slots s
       CROSS JOIN LATERAL pgactive.pgactive_parse_slot_name(s.slot_name) p
       WHERE s.plugin = 'pgactive' ORDER BY 1`,
    );
    assert.deepEqual(
      slots,
      [n1, n3].map((c) => ({
        remote_sysid: c.sysid,
        remote_timeline: 0,
        remote_dboid: c.dboid,
        local_dboid: n2.dboid,
        replication_name: "",
      })).sort((a, b) => a.remote_sysid.localeCompare(b.remote_sysid)),
    );
    const origins = await sb.query(
      "node2",
      `SELECT p.remote_sysid, st.riremoteid, os.remote_lsn IS NOT NULL AS has_status
       FROM pg_replication_origin o
       CROSS JOIN LATERAL pgactive.pgactive_parse_replident_name(o.roname) p
       JOIN pgactive.pgactive_stats st ON st.rilocalid = o.roident
       LEFT JOIN pg_replication_origin_status os ON os.local_id = o.roident
       ORDER BY 1`,
    );
    assert.deepEqual(
      origins,
      [n1, n3].map((u) => ({
        remote_sysid: u.sysid,
        riremoteid: `pgactive_${u.sysid}_0_${u.dboid}_${n2.dboid}_`,
        has_status: true,
      })).sort((a, b) => a.remote_sysid.localeCompare(b.remote_sysid)),
    );
  });

  await t.step(
    "last applied xact info is zero before any apply, then the upstream's xid and commit time",
    async () => {
      const info = () =>
        sb.query(
          "node2",
          `SELECT last_applied_xact_id::text AS id, last_applied_xact_committs::text AS committs,
                last_applied_xact_at >= last_applied_xact_committs AS ordered
         FROM pgactive.pgactive_get_last_applied_xact_info($1, 0, $2)`,
          [n1.sysid, n1.dboid],
        );
      assert.deepEqual(await info(), [{
        id: "0",
        committs: "2000-01-01 00:00:00+00",
        ordered: true,
      }]);
      const statsBefore = await sb.query(
        "node2",
        `SELECT nr_commit::int8 AS c, nr_insert::int8 AS i FROM pgactive.pgactive_stats
       WHERE riremoteid LIKE 'pgactive_' || $1 || '_%'`,
        [n1.sysid],
      );
      const [w] = await sb.query(
        "node1",
        `WITH ins AS (INSERT INTO sandbox_node1 (payload) SELECT 'x' FROM generate_series(1, 5)
                    RETURNING origin_xid)
       SELECT min(origin_xid)::text AS xid FROM ins`,
      );
      await sb.waitForCatchUp();
      const xid = String(BigInt(w!.xid as string) % 2n ** 32n);
      const [ts] = await sb.query(
        "node1",
        `SELECT pg_xact_commit_timestamp($1::text::xid)::text AS ts`,
        [xid],
      );
      assert.deepEqual(await info(), [{ id: xid, committs: ts!.ts, ordered: true }]);
      const statsAfter = await sb.query(
        "node2",
        `SELECT nr_commit::int8 AS c, nr_insert::int8 AS i FROM pgactive.pgactive_stats
       WHERE riremoteid LIKE 'pgactive_' || $1 || '_%'`,
        [n1.sysid],
      );
      assert.equal(Number(statsAfter[0]!.c) - Number(statsBefore[0]!.c), 1);
      assert.equal(Number(statsAfter[0]!.i) - Number(statsBefore[0]!.i), 5);
    },
  );

  await t.step("the lag function fans out to every node: N*(N-1) rows, all caught up", async () => {
    await sb.waitForCatchUp();
    const rows = await pollUntil("all pending_wal_to_apply at 0", async () => {
      const r = await sb.query(
        "node3",
        `SELECT node_name, slot_name, application_name, active, pending_wal_decoding::int8 AS dec,
                pending_wal_to_apply::int8 AS app FROM pgactive.pgactive_get_replication_lag_info()`,
      );
      return r.every((x) => Number(x.app) === 0 && Number(x.dec) === 0) ? r : null;
    }, { timeoutMs: 15_000 });
    assert.equal(rows.length, 6);
    for (const r of rows) {
      const consumer = sb.nodes.find((n) => n.name === r.node_name)!;
      assert.equal(r.application_name, `pgactive:${consumer.sysid}:send`);
      assert.equal(r.active, true);
    }
  });

  await t.step("workers info lists apply workers, walsenders and the per-db worker", async () => {
    const rows = await sb.query(
      "node1",
      `SELECT worker_type, sysid, pid > 0 AS running FROM pgactive.pgactive_get_workers_info()
       ORDER BY worker_type, sysid`,
    );
    const peers = [n2.sysid, n3.sysid].sort();
    assert.deepEqual(rows, [
      ...peers.map((s) => ({ worker_type: "apply", sysid: s, running: true })),
      { worker_type: "per-db", sysid: null, running: true },
      ...peers.map((s) => ({ worker_type: "walsender", sysid: s, running: true })),
    ]);
  });

  await t.step(
    "recordConflict adds simulated history rows and bumps exactly the matching counter",
    async () => {
      const counters = async () =>
        Object.fromEntries(
          (await sb.query(
            "node1",
            `SELECT riremoteid, nr_commit, nr_rollback, nr_insert, nr_insert_conflict, nr_update,
                  nr_update_conflict, nr_delete, nr_delete_conflict, nr_disconnect
           FROM pgactive.pgactive_stats`,
          )).map((r) => [r.riremoteid, r]),
        );
      const before = await counters();
      const ids = await sb.recordConflict("node1", {
        type: "update_delete",
        from: "node3",
        count: 2,
      });
      const ids2 = await sb.recordConflict("node1", {
        type: "insert_insert",
        from: "node2",
        table: "pgactive.pgactive_nodes",
      });
      await sb.recordConflict("node1", { type: "unhandled_tx_abort", from: "node2" });
      assert.equal(ids.length, 2);
      const after = await counters();
      const key = (n: typeof n1) => `pgactive_${n.sysid}_0_${n.dboid}_${n1.dboid}_`;
      const expect = (n: typeof n1, bumps: Record<string, number>) => {
        const b = before[key(n)]!;
        return Object.fromEntries(
          Object.entries(b).map(([k, v]) => [k, k in bumps ? String(Number(v) + bumps[k]!) : v]),
        );
      };
      assert.deepEqual(after[key(n3)], expect(n3, { nr_update_conflict: 2 }));
      assert.deepEqual(after[key(n2)], expect(n2, { nr_insert_conflict: 1, nr_rollback: 1 }));
      const hist = await sb.query(
        "node1",
        `SELECT conflict_id::int8 AS id, local_node_sysid, remote_node_sysid, remote_node_dboid,
              object_schema, object_name, conflict_type::text AS type,
              conflict_resolution::text AS res, error_context, local_tuple IS NULL AS no_local,
              local_conflict_time > now() - interval '1 minute' AS recent
       FROM pgactive.pgactive_conflict_history WHERE conflict_id = ANY($1::int8[]) ORDER BY 1`,
        [[...ids, ...ids2]],
      );
      const common = {
        local_node_sysid: n1.sysid,
        error_context: "simulated by pgactive-tools sandbox",
        recent: true,
      };
      assert.deepEqual(
        hist,
        [
          ...ids.map((id) => ({
            id: String(id),
            ...common,
            remote_node_sysid: n3.sysid,
            remote_node_dboid: n3.dboid,
            object_schema: "public",
            object_name: "sandbox_node3",
            type: "update_delete",
            res: "skip_change",
            no_local: true,
          })),
          {
            id: String(ids2[0]),
            ...common,
            remote_node_sysid: n2.sysid,
            remote_node_dboid: n2.dboid,
            object_schema: "pgactive",
            object_name: "pgactive_nodes",
            type: "insert_insert",
            res: "last_update_wins_keep_local",
            no_local: false,
          },
        ].map((r) => ({
          id: r.id,
          local_node_sysid: r.local_node_sysid,
          remote_node_sysid: r.remote_node_sysid,
          remote_node_dboid: r.remote_node_dboid,
          object_schema: r.object_schema,
          object_name: r.object_name,
          type: r.type,
          res: r.res,
          error_context: r.error_context,
          no_local: r.no_local,
          recent: r.recent,
        })),
      );
      const [other] = await sb.query(
        "node2",
        `SELECT count(*)::int AS n FROM pgactive.pgactive_conflict_history`,
      );
      assert.equal(other!.n, 0, "conflict history is per node");
    },
  );

  await t.step(
    "a role with the section-6 grants reads everything; pg_monitor alone is denied",
    async () => {
      const full = await sb.createMonitoringRole();
      const none = await sb.createMonitoringRole({ name: "pgactive_nogrants", grants: "none" });
      assert.deepEqual(Object.keys(full), ["node1", "node2", "node3"]);
      const ok = await runAs(full.node2!, PRIVTEST);
      for (const [name, result] of Object.entries(ok)) assert.equal(result, "ok", name);
      const denied = await runAs(none.node2!, PRIVTEST);
      for (const [name, result] of Object.entries(denied)) {
        if (PUBLIC_OK.includes(name)) assert.equal(result, "ok", name);
        else assert.match(result, /permission denied/, name);
      }
      assert.match(
        denied.pgactive_get_local_node_name!,
        /permission denied for table pgactive_nodes/,
      );
      assert.match(
        denied.pgactive_get_replication_lag_info!,
        /permission denied for table pgactive_nodes/,
      );
      assert.match(denied.pgactive_stats!, /permission denied for view pgactive_stats/);
      // the sandbox internals are not readable either
      const internals = await runAs(none.node2!, {
        q: `SELECT * FROM pgactive_sandbox.apply_state`,
      });
      assert.match(internals.q!, /permission denied/);
    },
  );

  await t.step(
    "createDatabase gives another database with its own standalone pgactive identity",
    async () => {
      const dsn = await sb.createDatabase("node1", "bench_db_1");
      assert.equal(dsn, `postgres://postgres@127.0.0.1:${n1.port}/bench_db_1`);
      const sql = postgres(dsn, { max: 1, onnotice: () => {} });
      try {
        const [r] = await sql`
        SELECT (pgactive.pgactive_get_local_nodeid()).sysid AS sysid,
               pgactive.pgactive_get_local_node_name() AS name,
               pgactive.pgactive_is_active_in_db() AS active,
               (SELECT count(*)::int FROM pgactive.pgactive_nodes) AS nodes,
               (SELECT count(*)::int FROM pgactive.pgactive_get_replication_lag_info()) AS lag_rows`;
        assert.equal(r!.name, "bench_db_1");
        assert.equal(r!.active, true);
        assert.equal(r!.nodes, 1);
        assert.equal(r!.lag_rows, 0);
        assert.ok(!sb.nodes.some((n) => n.sysid === r!.sysid));
      } finally {
        await sql.end({ timeout: 2 });
      }
    },
  );

  await t.step(
    "last applied xact info is zero again after the apply worker restarts, until it applies",
    async () => {
      await sb.waitForCatchUp();
      const info = async () =>
        (await sb.query(
          "node3",
          `SELECT last_applied_xact_id::text AS id, last_applied_xact_committs::text AS committs,
                last_applied_xact_at >= last_applied_xact_committs AS ordered,
                last_applied_xact_at > now() - interval '1 minute' AS recent
         FROM pgactive.pgactive_get_last_applied_xact_info($1, 0, $2)`,
          [n1.sysid, n1.dboid],
        ))[0]!;
      const zero = {
        id: "0",
        committs: "2000-01-01 00:00:00+00",
        ordered: true,
        recent: false,
      };
      const applied = await info();
      assert.notEqual(applied.id, "0", "node3 applied node1's earlier writes");
      await sb.breakLink("node1", "node3");
      assert.deepEqual(await info(), zero, "no apply worker");
      await sb.restoreLink("node1", "node3");
      assert.deepEqual(await info(), zero, "worker restarted, nothing applied since");
      const [w] = await sb.query(
        "node1",
        `WITH ins AS (INSERT INTO sandbox_node1 (payload) VALUES ('after restart')
                    RETURNING origin_xid)
         SELECT (min(origin_xid) % 4294967296)::text AS xid FROM ins`,
      );
      await sb.waitForCatchUp();
      const [ts] = await sb.query(
        "node1",
        `SELECT pg_xact_commit_timestamp($1::text::xid)::text AS ts`,
        [w!.xid],
      );
      assert.deepEqual(await info(), { id: w!.xid, committs: ts!.ts, ordered: true, recent: true });
    },
  );
});
