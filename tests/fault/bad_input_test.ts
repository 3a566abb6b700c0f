/**
 * Issue 12, defects 2, 3, 4 and 6: hostile or mistaken input to the real programs gets one line
 * naming the file or flag and exit 64, fast; durations past what a timer can wait are refused at
 * validation with their bounds, and the longest accepted one works. Real main_server.ts and
 * main_cli.ts processes, real files, the real server code for `wait`.
 */
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";
import { makeSnapshot, startApi } from "../sdk/fixtures.ts";
import { runOnce, type RunResult } from "./processes.ts";

const VALID =
  "collector:\n  nodes:\n    - name: node1\n      dsn: postgres://u:Secr3t@127.0.0.1:1/db\n";
/** A "billion laughs": each level repeats the previous alias 9 times (9^8 leaves). */
const BOMB = ["a: &a [l,l,l,l,l,l,l,l,l]"].concat(
  [..."bcdefgh"].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefg"[i]}`).join(",")}]`),
).join("\n") + "\n";

/** Exactly one stderr line, exit 64, no stack trace and no password. */
function assertOneLine(run: RunResult, pattern: RegExp): void {
  assertEquals(run.code, 64, run.stderr);
  const lines = run.stderr.split("\n").filter((l) => l !== "");
  assertEquals(lines.length, 1, run.stderr);
  assertMatch(lines[0]!, pattern);
  assert(!/\bat .*:\d+:\d+|Secr3t/.test(run.stderr), run.stderr);
}

Deno.test("fault: bad input to pgactive-server and pgactive-tools", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "pgactive-fault-input-" });
  try {
    await t.step(
      "a YAML alias bomb: one line naming the file, exit 64 (server and CLI)",
      async () => {
        const path = `${dir}/bomb.yaml`;
        await Deno.writeTextFile(path, VALID + BOMB);
        const pattern = /bomb\.yaml.*YAML aliases expand too far \(more than 100 alias uses\)/;
        assertOneLine(await runOnce("server", ["--config", path]), pattern);
        assertOneLine(await runOnce("cli", ["lag", "--config", path]), pattern);
      },
    );

    await t.step("a 50 MB config: refused by size in well under a second of work", async () => {
      const path = `${dir}/huge.yaml`;
      const file = await Deno.open(path, { write: true, create: true });
      await file.write(new TextEncoder().encode(VALID + "thresholds:\n  x:\n"));
      const chunk = new TextEncoder().encode("    - item\n".repeat(100_000));
      for (let written = 0; written < 50e6; written += chunk.length) await file.write(chunk);
      file.close();
      const server = await runOnce("server", ["--config", path]);
      assertOneLine(server, /huge\.yaml: file is larger than 64 KiB/);
      const cli = await runOnce("cli", ["status", "--direct", "--config", path]);
      assertOneLine(cli, /huge\.yaml: file is larger than 64 KiB/);
      // Whole processes (Deno start-up included) on a shared machine: bounded, never 94 s.
      console.log(
        `50 MB config refused: server ${server.ms.toFixed(0)} ms, cli ${cli.ms.toFixed(0)} ms`,
      );
      assert(server.ms < 5_000 && cli.ms < 5_000, `${server.ms} ms / ${cli.ms} ms`);
    });

    await t.step("durations past a timer's range are refused with their bounds", async () => {
      const path = `${dir}/long.yaml`;
      await Deno.writeTextFile(
        path,
        VALID.replace("collector:\n", "collector:\n  interval: 30d\n"),
      );
      assertOneLine(
        await runOnce("server", ["--config", path]),
        /collector\.interval: must be at least 10ms and at most 1d \(got "30d"\)/,
      );
      assertOneLine(
        await runOnce("cli", ["wait", "--timeout", "25d", "--server", "http://127.0.0.1:1"]),
        /invalid value "25d" for --timeout: must be between 0s and 24d/,
      );
    });

    await t.step(
      "the longest --timeout works: wait --timeout 24d on a caught-up cluster",
      async () => {
        await using api = await startApi();
        let version = 1;
        api.publish(makeSnapshot(version));
        const timer = setInterval(() => api.publish(makeSnapshot(++version)), 100);
        try {
          const wait = await runOnce("cli", ["wait", "--timeout", "24d", "--server", api.url]);
          assertEquals(wait.code, 0, wait.stdout + wait.stderr);
          assertMatch(wait.stdout, /^caught up: /);
        } finally {
          clearInterval(timer);
        }
      },
    );

    await t.step("negative values written with a space get the value's message", async () => {
      const server = "http://127.0.0.1:1";
      assertOneLine(
        await runOnce("cli", ["wait", "--timeout", "-1s", "--server", server]),
        /invalid value "-1s" for --timeout: use a duration/,
      );
      assertOneLine(
        await runOnce("cli", ["watch", "--count", "-1", "--server", server]),
        /invalid value "-1" for --count: use a positive integer/,
      );
      assertOneLine(
        await runOnce("cli", ["wait", "--max-lag", "-5s", "--server", server]),
        /invalid value "-5s" for --max-lag/,
      );
      assertOneLine(
        await runOnce("server", ["--listen", "-1"]),
        /flag --listen needs a value \(write --listen=VALUE for one that starts with "-"\)/,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
