/** lib/cli/argv.ts parses as node:util parseArgs (strict, positionals allowed), errors included. */
import { parseArgs } from "node:util";
import { parseArgv } from "../../lib/cli/argv.ts";
import { assertEquals } from "../sdk/assert.ts";

const OPTIONS = {
  format: { type: "string" },
  direct: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  server: { type: "string" },
} as const;

function outcome(parse: () => { values: object; positionals: string[] }): unknown {
  try {
    const { values, positionals } = parse();
    return { values: { ...values }, positionals };
  } catch (err) {
    const e = err as { code?: string; message: string };
    return { code: e.code, flag: /'(-[^' ]+)/.exec(e.message)?.[1] };
  }
}

Deno.test("argv vectors parse as node:util parseArgs would", () => {
  const vectors: string[][] = [
    [],
    ["lag"],
    ["lag", "--server", "http://h:1", "--format=json"],
    ["lag", "--server=http://h:1", "--server", "http://other"],
    ["help", "lag", "-h"],
    ["lag", "--direct", "--", "--format", "x"],
    ["lag", "-"],
    ["lag", "--nope"],
    ["lag", "-x"],
    ["lag", "--direct=yes"],
    ["lag", "--server"],
    ["lag", "--server", "--direct"],
    ["lag", "--server", "-x"],
    ["lag", "--format="],
    ["lag", "--nope=1"],
  ];
  for (const argv of vectors) {
    const ours = outcome(() => parseArgv(argv, OPTIONS));
    const node = outcome(() =>
      parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true })
    );
    assertEquals(ours, node, argv.join(" "));
  }
});
