/** JSON parsing and zod validation that fail with a one-line {@link SnapshotFormatError}. */
import type { z } from "zod";
import { SnapshotFormatError } from "./errors.ts";

/**
 * Parses JSON text (when `input` is a string) and validates it against `schema` (when given).
 * Problems are summarised as `path: message`.
 */
export function validate<S extends z.ZodType>(
  input: string | unknown,
  schema: S | null,
  what: string,
): S extends z.ZodType<infer T> ? T : unknown {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new SnapshotFormatError(what, [`not valid JSON (${excerpt(input)})`], { cause: err });
    }
  }
  if (schema === null) return value as never;
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String).join(".");
      return `${path || "(root)"}: ${issue.message}`;
    });
    throw new SnapshotFormatError(what, problems, { cause: result.error });
  }
  return result.data as never;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat === "") return "empty body";
  return `starts with ${JSON.stringify(flat.slice(0, 40))}`;
}
