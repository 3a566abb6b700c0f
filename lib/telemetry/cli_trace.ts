/**
 * The CLI's trace: main_cli.ts imports this (dynamically) only when an OTLP endpoint variable is
 * set. The run becomes one trace whose root span is the command; it is flushed before exit,
 * waiting at most the export timeout.
 */
import { createLogger } from "./logger.ts";
import { OtelConfigError } from "./otel_env.ts";
import { startTelemetry } from "./start.ts";
import { tracing } from "./tracing.ts";

/** Options of {@link traceCliRun}. */
export interface CliTraceOptions {
  env: Record<string, string | undefined>;
  /** The command word (`status`, `watch`, ...): the root span is `pgactive-tools <command>`. */
  command: string;
  version: string;
  /** Where a bad OTEL_* value is reported (one line; the run then exits 64 without running). */
  stderr: (text: string) => void;
}

/** Runs `run` inside the CLI's root span and returns its exit code (64 on a bad OTEL_* value). */
export async function traceCliRun(
  options: CliTraceOptions,
  run: () => Promise<number>,
): Promise<number> {
  let telemetry;
  try {
    telemetry = await startTelemetry({
      env: options.env,
      serviceName: "pgactive-tools",
      serviceVersion: options.version,
      logger: createLogger({
        level: "warn",
        base: { service: "pgactive-tools" },
        write: (line) => options.stderr(line + "\n"),
      }),
    });
  } catch (err) {
    if (!(err instanceof OtelConfigError)) throw err;
    options.stderr(`pgactive-tools: ${err.message}\n`); // a usage error: nothing was run
    return 64;
  }
  try {
    return await tracing().span(`pgactive-tools ${options.command}`, {
      attributes: { "pgactive.cli.command": options.command },
    }, async (span) => {
      const code = await run();
      span.setAttributes({ "process.exit.code": code });
      if (code !== 0) span.fail(`exit_${code}`);
      return code;
    });
  } finally {
    await telemetry.shutdown();
  }
}
