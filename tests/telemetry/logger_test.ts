/** Log lines name the active span while OpenTelemetry is on, and are unchanged while it is off. */
import { createLogger, startTelemetry, tracing } from "../../lib/telemetry/mod.ts";
import { assert, assertEquals } from "../sdk/assert.ts";
import { refusedPort } from "../sdk/targets.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: "debug",
    now: () => new Date(0),
    write: (line) => lines.push(JSON.parse(line)),
  });
  return { lines, logger };
}

Deno.test("with telemetry off a line inside a span is exactly as before", async () => {
  const { lines, logger } = capture();
  assertEquals(tracing().enabled, false);
  await tracing().span("x", {}, async () => {
    await Promise.resolve();
    logger.info("inside", { a: 1 });
  });
  assertEquals(lines, [{ ts: "1970-01-01T00:00:00.000Z", level: "info", msg: "inside", a: 1 }]);
});

Deno.test("with telemetry on, lines inside a span carry its trace_id and span_id", async () => {
  for (let run = 1; run <= 2; run++) await correlatedRun(); // a restart in one process works too
});

async function correlatedRun(): Promise<void> {
  const telemetry = await startTelemetry({
    env: {
      // Nothing listens there: spans are recorded and their export fails in the background.
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${refusedPort()}`,
      OTEL_METRICS_EXPORTER: "none",
      OTEL_LOGS_EXPORTER: "none",
      OTEL_EXPORTER_OTLP_TIMEOUT: "500",
    },
    serviceName: "logger-test",
  });
  try {
    const { lines, logger } = capture();
    logger.info("before");
    let outer = null as ReturnType<ReturnType<typeof tracing>["activeIds"]>;
    let inner = null as typeof outer;
    await tracing().span("outer", {}, async () => {
      outer = tracing().activeIds();
      await new Promise((r) => setTimeout(r, 1)); // the context survives an await and a timer
      logger.info("in outer");
      await tracing().span("inner", {}, async () => {
        inner = tracing().activeIds();
        await Promise.resolve();
        logger.warn("in inner");
      });
    });
    logger.info("after");
    assert(outer && inner, "ids inside spans");
    assertEquals(inner.trace_id, outer.trace_id, "one trace");
    assert(inner.span_id !== outer.span_id, "a child span");
    assertEquals(lines.map((l) => [l.msg, l.trace_id, l.span_id]), [
      ["before", undefined, undefined],
      ["in outer", outer.trace_id, outer.span_id],
      ["in inner", inner.trace_id, inner.span_id],
      ["after", undefined, undefined],
    ]);
  } finally {
    await telemetry.shutdown();
  }
  assertEquals(tracing().enabled, false, "shutdown restores the no-op tracing");
}
