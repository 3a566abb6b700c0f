/**
 * pgactive-tools: the command line (`pgactive-tools help`). Only wiring lives here: argv, stdio,
 * Ctrl-C and the exit code; everything else is lib/cli's `run`.
 */
import { COMMANDS, run } from "./lib/cli/mod.ts";
import { VERSION } from "./lib/version/mod.ts";

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

const env = Deno.env.toObject();
const runCli = () =>
  run(Deno.args, {
    env,
    stdout: (text) => writeAll(Deno.stdout, text),
    stderr: (text) => writeAll(Deno.stderr, text),
    isTTY: Deno.stdout.isTerminal(),
    signal: interrupt.signal,
  });
// With an OTLP endpoint set the run is one trace (root span: the command); otherwise nothing of
// lib/telemetry or OpenTelemetry is loaded (tests/cli/startup_test.ts, tests/telemetry).
const otel = Object.entries(env).some(([k, v]) =>
  /^OTEL_EXPORTER_OTLP_(TRACES_|METRICS_|LOGS_)?ENDPOINT$/.test(k) && v.trim() !== ""
);
const code = otel
  ? await (await import("./lib/telemetry/cli_trace.ts")).traceCliRun({
    env,
    command: Deno.args.find((a) => (COMMANDS as readonly string[]).includes(a)) ?? "help",
    version: VERSION,
    stderr: (text) => writeAll(Deno.stderr, text),
  }, runCli)
  : await runCli();
Deno.exit(code);
