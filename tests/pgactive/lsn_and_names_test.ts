import assert from "node:assert/strict";
import { formatLsn, lsnDiff, parseLsn } from "../../lib/pgactive/lsn.ts";
import { parseOriginName, parseSlotName } from "../../lib/pgactive/slot_name.ts";
import { parseDsn } from "../../lib/pgactive/dsn.ts";

Deno.test("LSNs parse to exact bigints and format back as PostgreSQL prints them", () => {
  assert.equal(parseLsn("0/1E2D620"), 0x1E2D620n);
  assert.equal(parseLsn("16/B374D848"), (0x16n << 32n) | 0xB374D848n);
  assert.equal(parseLsn("FFFFFFFF/FFFFFFFF"), 2n ** 64n - 1n);
  assert.equal(formatLsn(parseLsn("16/b374d848")), "16/B374D848");
  assert.equal(formatLsn(0n), "0/0");
  assert.throws(() => parseLsn("1E2D620", "sent_lsn"), { name: "TypeError", message: /sent_lsn/ });
});

Deno.test("LSN differences are floored at zero", () => {
  // node1 5b: current 0/1F00C08 vs node3's restart_lsn 0/1EA6B48 = 368832 bytes retained
  assert.equal(lsnDiff(parseLsn("0/1F00C08"), parseLsn("0/1EA6B48")), 368832);
  assert.equal(lsnDiff(1n, 5n), 0);
});

Deno.test("pgactive slot names name the consuming peer", () => {
  assert.deepEqual(parseSlotName("pgactive_16385_7711616502476629437_0_16385__"), {
    localDboid: 16385,
    peer: { sysid: "7711616502476629437", timeline: 0, dboid: 16385 },
  });
  assert.equal(parseSlotName("pg_16390_sync_1_7311"), null);
  assert.equal(parseSlotName("pgactive_16385_1_0_16385__extra"), null);
});

Deno.test("origin names name the upstream and the local database", () => {
  assert.deepEqual(parseOriginName("pgactive_7711616478256711032_0_16385_16386_"), {
    upstream: { sysid: "7711616478256711032", timeline: 0, dboid: 16385 },
    localDboid: 16386,
  });
  assert.equal(parseOriginName("pg_16390"), null);
});

Deno.test("DSNs: URL and key=value forms yield their password for redaction", () => {
  assert.equal(parseDsn("postgres://mon:s%40cret@h:5432/app").password, "s@cret");
  assert.equal(parseDsn("postgres://mon@h/app").password, null);
  const kv = parseDsn("host=127.0.0.1 port=55431 dbname=app user=mon password='a b\\'c'");
  assert.deepEqual(kv.options, {
    host: "127.0.0.1",
    port: 55431,
    database: "app",
    username: "mon",
    password: "a b'c",
  });
  assert.equal(kv.password, "a b'c");
  assert.throws(() => parseDsn("host=x 'oops"), TypeError);
});
