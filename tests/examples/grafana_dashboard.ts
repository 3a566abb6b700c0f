/**
 * examples/grafana/pgactive-tools.json read for the tests: its panels' queries, and the PromQL
 * Grafana would send once its variables are substituted (Grafana itself is not packaged here).
 */

const FILE = new URL("../../examples/grafana/pgactive-tools.json", import.meta.url);

// deno-lint-ignore no-explicit-any
export type Obj = any;

/** Grafana's built-in variables the panels may use. */
export const BUILTIN_VARIABLES = ["__rate_interval", "__interval", "__range"];

/** One query of one panel. */
export interface PanelQuery {
  panelId: number;
  panelTitle: string;
  refId: string;
  expr: string;
}

/** The dashboard JSON as stored. */
export async function loadDashboard(): Promise<Obj> {
  return JSON.parse(await Deno.readTextFile(FILE));
}

/** Every target of every panel (rows included, if any). */
export function panelQueries(dashboard: Obj): PanelQuery[] {
  const panels: Obj[] = dashboard.panels.flatMap((p: Obj) => [p, ...(p.panels ?? [])]);
  return panels.flatMap((p) =>
    (p.targets ?? []).map((t: Obj) => ({
      panelId: p.id,
      panelTitle: p.title,
      refId: t.refId,
      expr: t.expr,
    }))
  );
}

/** Names of the variables (`$name`, `${name}`, `[[name]]`) a text uses. */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g)].map((m) =>
    m[1] ?? m[2] ?? m[3]!
  );
}

/**
 * The PromQL Grafana sends for `expr` with `values` for the variables; throws on a variable
 * without a value (a query the test cannot evaluate is a failure, not a skip).
 */
export function substitute(expr: string, values: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (_, a, b, c) => {
    const name: string = a ?? b ?? c;
    const v = values[name];
    if (v === undefined) throw new Error(`no value for variable $${name} in ${expr}`);
    return v;
  });
}
