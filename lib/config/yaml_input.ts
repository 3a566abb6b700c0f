/**
 * Config text in, plain data out, with bounded cost whatever the input: the file is read up to
 * {@link MAX_CONFIG_BYTES}, aliases are capped (a "billion laughs" document), only the first YAML
 * errors are positioned, duplicate keys are found in one pass, and anything the YAML library throws
 * (a nesting too deep for the stack) becomes a problem line. Every failure is a {@link ConfigError}.
 */
import { isScalar, LineCounter, parseDocument, visit, type YAMLError } from "yaml";
import { ConfigError } from "./errors.ts";

/** Largest config file or text accepted: real ones are a few KB (100 nodes: about 15 KB). */
export const MAX_CONFIG_BYTES = 64 * 1024;
/** Alias uses allowed when the document is turned into data. */
export const MAX_ALIAS_USES = 100;
/** YAML errors reported with their position (the rest are counted). */
const MAX_ERRORS = 10;

/** Reads `path`, refusing (without reading further) a file over {@link MAX_CONFIG_BYTES}. */
export async function readConfigText(path: string): Promise<string> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new ConfigError("CONFIG_NOT_FOUND", [`${path}: file not found`], {
        source: path,
        cause: e,
      });
    }
    throw invalid(path, `cannot read file: ${(e as Error).message}`, e);
  }
  try {
    // One byte past the limit is enough to refuse; a FIFO or /dev/zero is read no further.
    const buf = new Uint8Array(MAX_CONFIG_BYTES + 1);
    let size = 0;
    while (size < buf.length) {
      const n = await file.read(buf.subarray(size));
      if (n === null) break;
      size += n;
    }
    if (size > MAX_CONFIG_BYTES) throw tooLarge(path);
    return new TextDecoder().decode(buf.subarray(0, size));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw invalid(path, `cannot read file: ${(e as Error).message}`, e);
  } finally {
    file.close();
  }
}

/**
 * Parses config text into plain data (null for an empty document). Throws a ConfigError: text
 * over the size limit, YAML errors (`source:LINE:COL: message`, at most 10), duplicate keys, too
 * many alias uses, or a structure the parser cannot handle.
 */
export function parseYamlText(
  text: string,
  source: string,
  redact: (line: string) => string = (line) => line,
): unknown {
  if (text.length > MAX_CONFIG_BYTES || new TextEncoder().encode(text).length > MAX_CONFIG_BYTES) {
    throw tooLarge(source);
  }
  const lineCounter = new LineCounter();
  let tree: unknown;
  // Hostile text can raise thousands of parse errors: their stack traces would cost more than the
  // parse itself, and no one reads them.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // uniqueKeys is checked below in one pass (the library's check is quadratic in the keys).
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false, lineCounter });
    const errors: YAMLError[] = [...doc.errors, ...doc.warnings];
    if (errors.length > 0) throw yamlError(errors, lineCounter, source, redact);
    visit(doc, {
      Map(_, map) {
        const seen = new Set<unknown>();
        for (const pair of map.items) {
          if (!isScalar(pair.key)) continue;
          if (seen.has(pair.key.value)) {
            const at = pair.key.range?.[0] ?? 0;
            errors.push({ message: "Map keys must be unique", pos: [at, at] } as YAMLError);
          }
          seen.add(pair.key.value);
        }
      },
    });
    if (errors.length > 0) throw yamlError(errors, lineCounter, source, redact);
    tree = doc.toJS({ maxAliasCount: MAX_ALIAS_USES });
  } catch (e) {
    Error.stackTraceLimit = stackTraceLimit;
    if (e instanceof ConfigError) throw e;
    const message = (e as Error).message ?? String(e);
    if (e instanceof ReferenceError && /alias/i.test(message)) {
      throw invalid(
        source,
        `YAML aliases expand too far (more than ${MAX_ALIAS_USES} alias uses): refused`,
        e,
      );
    }
    throw invalid(source, `cannot parse YAML: ${message.split("\n")[0]}`, e);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return tree === undefined ? null : tree;
}

function yamlError(
  errors: YAMLError[],
  lc: LineCounter,
  source: string,
  redact: (line: string) => string,
): ConfigError {
  const lines = errors.slice(0, MAX_ERRORS).map((e) => {
    const { line, col } = lc.linePos(e.pos[0]);
    const first = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
    const text = /Maximum call stack/.test(first) ? "nested too deeply" : first;
    return redact(`${source}:${line}:${col}: ${text}`);
  });
  if (errors.length > MAX_ERRORS) {
    lines.push(`${source}: ... and ${errors.length - MAX_ERRORS} more YAML errors`);
  }
  return new ConfigError("CONFIG_INVALID", lines, { source });
}

function tooLarge(source: string): ConfigError {
  return invalid(
    source,
    `file is larger than ${MAX_CONFIG_BYTES / 1024} KiB (a config is a few KB): refused`,
  );
}

function invalid(source: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError("CONFIG_INVALID", [`${source}: ${message}`], {
    source,
    ...(cause === undefined ? {} : { cause }),
  });
}
