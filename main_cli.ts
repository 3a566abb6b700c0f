/**
 * pgactive-tools: the command line (`pgactive-tools help`). Only wiring lives here: argv, stdio,
 * Ctrl-C and the exit code; everything else is lib/cli's `run`.
 */
import { run } from "./lib/cli/mod.ts";

const encoder = new TextEncoder();

function writeAll(file: typeof Deno.stdout, text: string): void {
  const data = encoder.encode(text);
  let written = 0;
  while (written < data.length) written += file.writeSync(data.subarray(written));
}

const interrupt = new AbortController();
const onSignal = () => interrupt.abort();
Deno.addSignalListener("SIGINT", onSignal);
// Windows delivers only SIGINT and SIGBREAK.
Deno.addSignalListener(Deno.build.os === "windows" ? "SIGBREAK" : "SIGTERM", onSignal);

const code = await run(Deno.args, {
  env: Deno.env.toObject(),
  stdout: (text) => writeAll(Deno.stdout, text),
  stderr: (text) => writeAll(Deno.stderr, text),
  isTTY: Deno.stdout.isTerminal(),
  signal: interrupt.signal,
});
Deno.exit(code);
