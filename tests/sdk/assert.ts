/** Tiny runtime-neutral assertions (the SDK scenarios also run under Node, without @std/assert). */

/** Throws with `message` unless `condition` holds. */
export function assert(condition: unknown, message = "assertion failed"): asserts condition {
  if (!condition) throw new Error(message);
}

/** Deep equality through JSON (plain data only). */
export function assertEquals(actual: unknown, expected: unknown, message = ""): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message ? message + ": " : ""}expected ${e}, got ${a}`);
}

/** Asserts `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, message = ""): void {
  if (!re.test(text)) {
    throw new Error(`${message ? message + ": " : ""}${JSON.stringify(text)} does not match ${re}`);
  }
}

/** Awaits `fn`, expects it to reject with an instance of `type`, returns the error. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  type: new (...args: any[]) => E,
  message = "",
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof type) return err;
    throw new Error(
      `${message ? message + ": " : ""}expected ${type.name}, got ${(err as Error)?.name}: ${
        (err as Error)?.message
      }`,
    );
  }
  throw new Error(`${message ? message + ": " : ""}expected ${type.name}, but it resolved`);
}
