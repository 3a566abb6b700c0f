/**
 * `${VAR}` expansion, applied AFTER YAML parsing to string values only, so an environment value can
 * never inject YAML structure. Supported forms (as in POSIX sh, braced form only):
 * `${VAR}` (unset -> ""), `${VAR:-default}` (unset or empty -> default), `${VAR-default}` (unset ->
 * default), `${VAR:?message}` (unset or empty -> error), `${VAR?message}` (unset -> error) and `$$`
 * (a literal `$`). A `$` not followed by `{` or `$` is literal. Default text may itself contain
 * `${...}`; substituted environment values are never expanded again.
 */

/** The environment as a plain object (e.g. `Deno.env.toObject()`). */
export type Env = Readonly<Record<string, string | undefined>>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*/;
const OP_RE = /^(:-|-|:\?|\?)/;
const MAX_DEPTH = 8;

/** Expands `${...}` references in `value` from `env`. Throws `SyntaxError` or `ReferenceError`. */
export function expandEnv(value: string, env: Env): string {
  return expand(value, env, new Set());
}

/** Like {@link expandEnv}, also collecting the names of plain `${VAR}` references that were unset. */
export function expand(value: string, env: Env, unset: Set<string>, depth = 0): string {
  if (depth > MAX_DEPTH) throw new SyntaxError(`\${...} nested more than ${MAX_DEPTH} levels deep`);
  let out = "";
  let i = 0;
  while (i < value.length) {
    const next = value.indexOf("$", i);
    if (next < 0) break;
    out += value.slice(i, next);
    if (value[next + 1] === "$") {
      out += "$";
      i = next + 2;
    } else if (value[next + 1] === "{") {
      const end = closingBrace(value, next + 2);
      out += substitute(value.slice(next + 2, end), env, unset, depth);
      i = end + 1;
    } else {
      out += "$";
      i = next + 1;
    }
  }
  return out + value.slice(i);
}

function substitute(body: string, env: Env, unset: Set<string>, depth: number): string {
  const name = NAME_RE.exec(body)?.[0];
  if (!name) throw new SyntaxError(`invalid variable name in "\${${body}}"`);
  const rest = body.slice(name.length);
  const current = env[name];
  if (rest === "") {
    if (current === undefined) unset.add(name);
    return current ?? "";
  }
  const op = OP_RE.exec(rest)?.[0];
  if (!op) {
    throw new SyntaxError(
      `unsupported syntax "\${${body}}": use \${VAR}, \${VAR:-default} or \${VAR:?message}`,
    );
  }
  const word = rest.slice(op.length);
  const missing = current === undefined || (op.startsWith(":") && current === "");
  if (!missing) return current;
  if (op.endsWith("-")) return expand(word, env, unset, depth + 1);
  const why = current === undefined ? "is not set" : "is empty";
  const message = word === "" ? "" : `: ${expand(word, env, unset, depth + 1)}`;
  throw new ReferenceError(`environment variable "${name}" ${why}${message}`);
}

/** Index of the `}` closing a `${` whose body starts at `start`, honouring nesting and `$$`. */
function closingBrace(value: string, start: number): number {
  let depth = 1;
  for (let i = start; i < value.length; i++) {
    if (value[i] === "$" && (value[i + 1] === "$" || value[i + 1] === "{")) {
      if (value[i + 1] === "{") depth++;
      i++;
    } else if (value[i] === "}" && --depth === 0) {
      return i;
    }
  }
  throw new SyntaxError(`unterminated "\${" (missing "}")`);
}

/** A problem found while expanding a tree: dotted path and message. */
export interface ExpansionProblem {
  readonly path: string;
  readonly message: string;
}

/** Expands every string in a parsed YAML tree; keys are left alone. Returns a new tree. */
export function expandTree(
  tree: unknown,
  env: Env,
  report: { problems: ExpansionProblem[]; unset: Map<string, Set<string>> },
  path = "",
): unknown {
  if (typeof tree === "string") {
    const unset = new Set<string>();
    try {
      const value = expand(tree, env, unset);
      if (unset.size > 0) report.unset.set(path, unset);
      return value;
    } catch (e) {
      report.problems.push({ path, message: (e as Error).message });
      return tree;
    }
  }
  if (Array.isArray(tree)) {
    return tree.map((item, i) => expandTree(item, env, report, `${path}[${i}]`));
  }
  if (tree !== null && typeof tree === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(tree)) {
      const value = expandTree(item, env, report, path === "" ? key : `${path}.${key}`);
      // defineProperty: a YAML key "__proto__" must stay a plain (unknown) key
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return tree;
}
