/**
 * examples/kubernetes: generated from build.ts, valid against the Kubernetes 1.36 API schemas
 * (kubernetes-models 5.1.0) and prometheus-operator's monitoring.coreos.com/v1
 * (@kubernetes-models/prometheus-operator 6.0.0), rendered by a real kustomize, and consistent
 * with what the server and the image really read: config keys, env names, ports, probes, paths,
 * user, metric names. Needs kustomize (.ci/docker.sh builds it) and promtool (Debian prometheus).
 */
import { posix } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import {
  PrometheusRule,
  ServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { manifests, render } from "../../examples/kubernetes/build.ts";
import { ConfigError, DEFAULTS, ENV_OVERRIDES, parseConfig } from "../../lib/config/mod.ts";
import { createApp, Hub } from "../../lib/server/mod.ts";
import { cycle } from "../server/fixtures.ts";
import { assert, assertEquals, assertMatch } from "../sdk/assert.ts";

const DIR = new URL("../../examples/kubernetes/", import.meta.url);
const ROOT = new URL("../../", import.meta.url);
// deno-lint-ignore no-explicit-any
type Obj = any;

/** Validates one object with the model of its kind (throws on a schema violation). */
function validate(o: Obj): void {
  const models: Record<string, new (data: Obj) => { validate(): void }> = {
    Namespace,
    ConfigMap,
    Secret,
    PersistentVolumeClaim,
    Deployment,
    Service,
    ServiceMonitor,
    PrometheusRule,
    PodDisruptionBudget,
  }; // deno-fmt-ignore
  const Model = models[o.kind];
  assert(Model !== undefined, `no schema for kind ${o.kind}`);
  new Model(o).validate();
}

function throws(fn: () => void): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

async function readManifests(): Promise<Map<string, Obj>> {
  const byKind = new Map<string, Obj>();
  for (const m of await manifests()) {
    const o = parse(await Deno.readTextFile(new URL(m.file, DIR)));
    byKind.set(o.kind, o);
  }
  return byKind;
}

/** `WORKDIR` and `USER` of the Dockerfile's final stage. */
async function imageFacts(): Promise<{ workdir: string; uid: number; gid: number }> {
  const text = await Deno.readTextFile(new URL("Dockerfile", ROOT));
  const final = text.slice(text.lastIndexOf("\nFROM "));
  const workdir = /^WORKDIR (\S+)$/m.exec(final)?.[1];
  const user = /^USER (\d+):(\d+)$/m.exec(final);
  assert(workdir !== undefined && user !== null, "final stage has WORKDIR and USER uid:gid");
  return { workdir, uid: Number(user[1]), gid: Number(user[2]) };
}

function tool(envName: string, cached: string, name: string): string {
  const fromEnv = Deno.env.get(envName);
  if (fromEnv) return fromEnv;
  try {
    Deno.statSync(cached);
    return cached;
  } catch {
    return name; // from PATH
  }
}

async function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return { code: o.code, out: dec.decode(o.stdout) + dec.decode(o.stderr) };
  } catch (err) {
    return { code: -1, out: `cannot run ${cmd}: ${(err as Error).message}` };
  }
}

Deno.test("the YAML files are build.ts's output, and each is valid against its API schema", async () => {
  const list = await manifests();
  const files = [...Deno.readDirSync(DIR)].map((e) => e.name).filter((n) => n.endsWith(".yaml"));
  assertEquals(files.sort(), list.map((m) => m.file).sort(), "no stray or missing file");
  for (const m of list) {
    assertEquals(await Deno.readTextFile(new URL(m.file, DIR)), render(m), `${m.file} is stale`);
  }
  const byKind = await readManifests();
  for (const [kind, o] of byKind) if (kind !== "Kustomization") validate(o);
  // The validation is live: wrong types are refused.
  const bad = structuredClone(byKind.get("Deployment"));
  bad.spec.replicas = "one";
  assert(throws(() => validate(bad)), 'replicas: "one" accepted');
  const badRule = structuredClone(byKind.get("PrometheusRule"));
  badRule.spec.groups[0].rules[0].for = 60;
  assert(throws(() => validate(badRule)), "for: 60 accepted");
});

Deno.test("the PrometheusRule holds examples/prometheus/alerts.yaml, which promtool accepts", async () => {
  const alertsFile = new URL("../prometheus/alerts.yaml", DIR).pathname;
  const alerts = parse(await Deno.readTextFile(alertsFile));
  const rule = (await readManifests()).get("PrometheusRule");
  assertEquals(rule.spec.groups, alerts.groups);
  const promtool = await run("promtool", ["check", "rules", alertsFile]);
  assert(promtool.code === 0, `promtool check rules: ${promtool.out}`);
  assertMatch(promtool.out, /SUCCESS: \d+ rules found/);
});

Deno.test("kustomize renders the kustomization into valid, namespaced objects", async () => {
  const cache = Deno.env.get("PGACTIVE_TOOLS_CACHE") ?? "/var/cache/pgactive-tools";
  const kustomize = tool(
    "PGACTIVE_TOOLS_KUSTOMIZE",
    `${cache}/kustomize/v5.8.2/kustomize`, // .ci/docker.sh's KUSTOMIZE
    "kustomize",
  );
  const built = await run(kustomize, ["build", new URL(".", DIR).pathname]);
  assert(built.code === 0, `kustomize build (run .ci/docker.sh to build kustomize): ${built.out}`);
  const docs = parseAllDocuments(built.out).map((d) => d.toJS());
  const kinds = docs.map((d) => d.kind).sort();
  assertEquals(kinds, [
    "ConfigMap",
    "Deployment",
    "Namespace",
    "PersistentVolumeClaim",
    "PodDisruptionBudget",
    "PrometheusRule",
    "Secret",
    "Service",
    "ServiceMonitor",
  ]); // deno-fmt-ignore
  for (const d of docs) {
    validate(d);
    if (d.kind !== "Namespace") assertEquals(d.metadata.namespace, "pgactive-tools", d.kind);
  }
  const deployment = docs.find((d) => d.kind === "Deployment");
  assertEquals(deployment.spec.template.spec.containers[0].image, "pgactive-tools:0.1.0");
});

Deno.test("ports, probes, env names, paths and config keys match what the server reads", async () => {
  const k = await readManifests();
  const pod = k.get("Deployment").spec.template.spec;
  const container = pod.containers[0];
  const toolsYaml: string = k.get("ConfigMap").data["tools.yaml"];
  const env: Record<string, string> = k.get("Secret").stringData;

  // The config file resolves with the Secret's variables, and only with them.
  const config = parseConfig(toolsYaml, { env, source: "configmap tools.yaml" });
  let missing: unknown = null;
  try {
    parseConfig(toolsYaml, { env: {} });
  } catch (err) {
    missing = err;
  }
  assert(missing instanceof ConfigError, "the DSNs must come from the environment");
  const referenced = [...toolsYaml.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
  assertEquals(
    [...new Set(referenced)].sort(),
    Object.keys(env).filter((n) => !(n in ENV_OVERRIDES)).sort(),
  );
  assertEquals(container.envFrom, [{ secretRef: { name: k.get("Secret").metadata.name } }]);

  // Port: the one the config listens on, named http, used by probes, Service and ServiceMonitor.
  const port = container.ports.find((p: Obj) => p.name === "http");
  assertEquals(port.containerPort, config.server.port);
  for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
    assertEquals(container[probe].httpGet, { path: "/health", port: "http" }, probe);
  }
  const service = k.get("Service");
  assertEquals(service.spec.ports[0].targetPort, "http");
  assertEquals(k.get("ServiceMonitor").spec.endpoints[0].port, service.spec.ports[0].name);
  assertEquals(k.get("ServiceMonitor").spec.endpoints[0].path, "/metrics");
  const labels = k.get("Deployment").spec.template.metadata.labels;
  for (
    const selector of [service.spec.selector, k.get("ServiceMonitor").spec.selector.matchLabels]
  ) {
    for (const [key, value] of Object.entries(selector)) assertEquals(labels[key], value, key);
  }
  for (
    const [key, value] of Object.entries(k.get("PodDisruptionBudget").spec.selector.matchLabels)
  ) {
    assertEquals(labels[key], value, key);
  }

  // Paths inside the image: the default config file and the history directory.
  const image = await imageFacts();
  const mounts = Object.fromEntries(container.volumeMounts.map((m: Obj) => [m.name, m.mountPath]));
  assertEquals(`${mounts.config}/tools.yaml`, posix.join(image.workdir, DEFAULTS.path));
  assertEquals(mounts.data, posix.dirname(posix.join(image.workdir, config.database.path)));
  assertEquals([pod.securityContext.runAsUser, pod.securityContext.fsGroup], [
    image.uid,
    image.gid,
  ]);
  assertEquals(pod.securityContext.runAsNonRoot, true);
  assertEquals(container.securityContext.readOnlyRootFilesystem, true);
  assertEquals(container.securityContext.allowPrivilegeEscalation, false);
  assertEquals([k.get("Deployment").spec.replicas, k.get("Deployment").spec.strategy.type], [
    1,
    "Recreate",
  ]);
  assertEquals(k.get("PersistentVolumeClaim").spec.accessModes, ["ReadWriteOnce"]);

  // The routes the probes and the ServiceMonitor use answer, and every metric an alert names exists.
  const hub = new Hub();
  hub.publish(cycle(1));
  const server = createApp({ config, hub });
  try {
    assertEquals((await server.app.request("/health")).status, 200);
    const metrics = await server.app.request("/metrics");
    assertEquals(metrics.status, 200);
    const exported = new Set(
      [...(await metrics.text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]),
    );
    const exprs = k.get("PrometheusRule").spec.groups.flatMap((g: Obj) =>
      g.rules.map((r: Obj) => r.expr)
    );
    const named = exprs.flatMap((e: string) =>
      [...e.matchAll(/\bpgactive_[a-z_]+/g)].map((m) => m[0])
    );
    assertEquals(
      named.filter((n: string) => !exported.has(n)),
      [],
      "alerts on metrics the server lacks",
    );
  } finally {
    server.close();
  }
});
