/**
 * docs/openapi.yaml for tests: loaded once, `$ref`s inlined, schemas turned into zod validators
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12), so real responses can be checked against it.
 */
import { parse } from "yaml";
import { z } from "zod";

/** The parsed document (plain data). */
// deno-lint-ignore no-explicit-any
export type OpenApi = Record<string, any>;

/** Reads and parses docs/openapi.yaml. */
export function loadOpenApi(): OpenApi {
  return parse(Deno.readTextFileSync(new URL("../../docs/openapi.yaml", import.meta.url)));
}

/** `node` with every local `$ref` replaced by what it points to (the document has no cycles). */
export function deref(doc: OpenApi, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => deref(doc, n));
  if (node === null || typeof node !== "object") return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    const target = ref.replace(/^#\//, "").split("/").reduce((o, k) => o?.[k], doc);
    if (target === undefined) throw new Error(`unresolved ${ref}`);
    return deref(doc, target);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(doc, v)]));
}

/** A validator for components.schemas[name]. */
export function componentSchema(doc: OpenApi, name: string): z.ZodType {
  return z.fromJSONSchema(deref(doc, doc.components.schemas[name]) as z.core.JSONSchema.JSONSchema);
}

/** The documented response of `method path` with `status` (its content schema, headers). */
export function documented(
  doc: OpenApi,
  path: string,
  status: number,
): { schema: z.ZodType | null; mediaTypes: string[]; headers: string[] } {
  const op = doc.paths[path]?.get;
  const response = deref(doc, op?.responses?.[String(status)]) as OpenApi | undefined;
  if (!response) throw new Error(`GET ${path} ${status} is not documented`);
  const content = response.content ?? {};
  const json = content["application/json"]?.schema;
  return {
    schema: json ? z.fromJSONSchema(json) : null,
    mediaTypes: Object.keys(content),
    headers: Object.keys(response.headers ?? {}),
  };
}

/** Checks a real response against the document: status documented, media type, body schema. */
export async function checkResponse(doc: OpenApi, path: string, res: Response): Promise<unknown> {
  const spec = documented(doc, path, res.status);
  const type = (res.headers.get("content-type") ?? "").split(";")[0]!.trim();
  if (spec.mediaTypes.length > 0 && !spec.mediaTypes.includes(type)) {
    throw new Error(
      `GET ${path} ${res.status}: content-type ${type}, documented ${spec.mediaTypes}`,
    );
  }
  for (const header of spec.headers) {
    if (!res.headers.has(header)) throw new Error(`GET ${path} ${res.status}: no ${header} header`);
  }
  if (spec.schema === null) {
    await res.body?.cancel();
    return null;
  }
  const body = await res.json();
  const result = spec.schema.safeParse(body);
  if (!result.success) {
    throw new Error(
      `GET ${path} ${res.status} breaks the schema: ${z.prettifyError(result.error)}`,
    );
  }
  return body;
}
