/** Units, tables and colours of the human output, with plain data. */
import { bytes, colorEnabled, count, paint, perMinute, seconds } from "../../lib/cli/format.ts";
import { renderTable, truncate } from "../../lib/cli/table.ts";
import { assert, assertEquals } from "../sdk/assert.ts";

Deno.test("values are shown with units and - for null", () => {
  assertEquals(
    [seconds(null), seconds(0), seconds(1.5), seconds(17), seconds(725), seconds(11_520)],
    ["-", "0 s", "1.5 s", "17.0 s", "12m 05s", "3h 12m"],
  );
  assertEquals(
    [bytes(null), bytes(48), bytes(3_355_443), bytes(1536), bytes(2 ** 31)],
    ["-", "48 B", "3.2 MiB", "1.5 KiB", "2.0 GiB"],
  );
  assertEquals([count(null), count(12), perMinute(0.4), perMinute(3)], [
    "-",
    "12",
    "0.4/min",
    "3/min",
  ]);
});

Deno.test("tables align columns and fit 80 columns by truncating the flexible ones", () => {
  const long = "a-very-long-node-name-that-would-never-fit-in-a-terminal-column-x";
  const text = renderTable(
    [{ header: "LINK", min: 10 }, { header: "LAG", align: "right" }, { header: "METHOD", min: 4 }],
    [[`${long} -> node2`, "1.5 s", "commit-ts"], ["node1 -> node2", "17.0 s", "caught-up"]],
  );
  const lines = text.split("\n");
  assertEquals(lines.length, 3);
  for (const line of lines) assert(line.length <= 80, `too wide (${line.length}): ${line}`);
  assert(lines[1]!.includes("…"), "the long name is truncated with an ellipsis");
  // right-aligned numbers end in the same column
  const end = (l: string, v: string) => l.indexOf(v) + v.length;
  assertEquals(end(lines[1]!, "1.5 s"), end(lines[2]!, "17.0 s"));
  assertEquals(truncate("abcdef", 4), "abc…");
});

Deno.test("status words are coloured only on a TTY without NO_COLOR", () => {
  assertEquals(colorEnabled(true, {}), true);
  assertEquals(colorEnabled(false, {}), false);
  assertEquals(colorEnabled(true, { NO_COLOR: "1" }), false);
  assertEquals(colorEnabled(true, { NO_COLOR: "" }), true);
  assertEquals(paint("CRITICAL", "CRITICAL  ", true), "\x1b[31mCRITICAL\x1b[0m  ");
  assertEquals(paint("CRITICAL", "CRITICAL", false), "CRITICAL");
  const table = renderTable([{ header: "NODE" }, { header: "STATUS" }], [["n1", "DOWN"]], {
    color: true,
  });
  assert(table.includes("\x1b[1;31mDOWN\x1b[0m"), "status cell coloured");
});
