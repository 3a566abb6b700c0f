/** Helpers for activity tests in Temporal's MockActivityEnvironment. */
import { ApplicationFailure } from "@temporalio/common";
import { MockActivityEnvironment } from "@temporalio/testing";
import { assertEquals, assertRejects } from "../assert.ts";

/** The activity `Info` fields a test may set (attempt, heartbeatDetails, heartbeatTimeoutMs...). */
export type MockInfo = ConstructorParameters<typeof MockActivityEnvironment>[0];

/** Runs `fn(...args)` in a mock activity context, keeping the result type. */
export function run<A extends unknown[], R>(
  env: MockActivityEnvironment,
  fn: (...args: A) => Promise<R>,
  ...args: A
): Promise<R> {
  return env.run(fn, ...args) as Promise<R>;
}

/** Expects `fn` to fail with an ApplicationFailure of `type`; returns it. */
export async function failsWith(
  fn: () => Promise<unknown>,
  type: string,
  nonRetryable: boolean,
): Promise<ApplicationFailure> {
  const failure = await assertRejects(fn, ApplicationFailure);
  assertEquals([failure.type, failure.nonRetryable], [type, nonRetryable], failure.message);
  return failure;
}

/** A mock environment with `info` and a logger that records `LEVEL message` lines. */
export function mockEnv(info: MockInfo = {}): { env: MockActivityEnvironment; logs: string[] } {
  const logs: string[] = [];
  const record = (level: string) => (message: string) => void logs.push(`${level} ${message}`);
  const logger = {
    log: (level: string, message: string) => void logs.push(`${level} ${message}`),
    trace: record("TRACE"),
    debug: record("DEBUG"),
    info: record("INFO"),
    warn: record("WARN"),
    error: record("ERROR"),
  };
  return { env: new MockActivityEnvironment(info, { logger }), logs };
}
