#!/usr/bin/env node
// Checks Kubernetes manifests offline, e.g. what `helm template` renders:
//
//   helm template pb helm/pocketbridge | node deploy-checks/src/test/node/validate-manifests.mjs
//
// Reads a stream of YAML documents on standard input (or from the files named) and checks each object
//   1. against the JSON schema of its kind (kubernetes-models: types, required fields, enums, formats);
//   2. for fields its kind does not have (a misplaced or misspelt key, which the schemas let through),
//      from the kinds' TypeScript declarations in the same package;
//   3. for what the API server or the controllers would refuse or silently ignore: names, labels,
//      a workload's selector against its pod labels, Services, PDBs, HPAs and Ingresses pointing at
//      nothing, named ports that no container declares, ConfigMap volumes naming no rendered ConfigMap.
// Prints one line per problem and exits 1 when there is any; prints a summary and exits 0 otherwise.
//
// --modules DIR: where kubernetes-models and yaml are installed (default: .tools/node_modules at the
// repository root, as .ci/install-deploy-tools leaves them).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
let modules = path.resolve(here, "../../../../.tools/node_modules");
const files = [];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === "--modules") {
    modules = path.resolve(process.argv[++i]);
  } else {
    files.push(process.argv[i]);
  }
}
if (!existsSync(path.join(modules, "kubernetes-models")) || !existsSync(path.join(modules, "yaml"))) {
  console.error(`kubernetes-models and yaml are not installed in ${modules}: run .ci/install-deploy-tools`);
  process.exit(2);
}
const YAML = createRequire(path.join(modules, "_"))("yaml");

const input = files.length ? files.map((f) => readFileSync(f, "utf8")).join("\n---\n") : readFileSync(0, "utf8");
const problems = [];
const objects = [];
for (const doc of YAML.parseAllDocuments(input)) {
  if (doc.errors.length) {
    problems.push(`YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const o = doc.toJS();
  if (o !== null && o !== undefined) {
    objects.push(o);
  }
}

const id = (o) => `${o?.kind ?? "?"}/${o?.metadata?.name ?? "?"}`;

// 1 and 2: the schema of each kind, and no field the kind does not have.
for (const o of objects) {
  if (typeof o !== "object" || !o.apiVersion || !o.kind) {
    problems.push(`${id(o)}: no apiVersion or kind`);
    continue;
  }
  const base = path.join(modules, "kubernetes-models", o.apiVersion, o.kind);
  if (!existsSync(`${base}.js`)) {
    problems.push(`${id(o)}: unknown kind ${o.kind} in ${o.apiVersion}`);
    continue;
  }
  const Model = (await import(pathToFileURL(`${base}.js`).href))[o.kind];
  try {
    new Model(o).validate();
  } catch (e) {
    problems.push(`${id(o)}: ${e.message}`);
  }
  for (const p of unknownFields(o, `${base}.d.ts`, "")) {
    problems.push(`${id(o)}: ${p}`);
  }
}

// 3: what the cluster would refuse or ignore.
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const seen = new Set();
for (const o of objects) {
  const name = o.metadata?.name ?? "";
  const key = `${o.apiVersion} ${o.kind} ${name}`;
  if (seen.has(key)) {
    problems.push(`${id(o)}: defined twice`);
  }
  seen.add(key);
  if (!dns1123Subdomain.test(name) || name.length > 253) {
    problems.push(`${id(o)}: the name is not a DNS subdomain`);
  }
  if (o.kind === "Service" && (!dns1035Label.test(name) || name.length > 63)) {
    problems.push(`${id(o)}: a Service name must be a DNS label of at most 63 characters`);
  }
  if (o.kind === "StatefulSet" && name.length > 52) {
    problems.push(`${id(o)}: a StatefulSet name longer than 52 characters breaks its pods' controller-revision-hash label`);
  }
  for (const [labels, where] of [[o.metadata?.labels, "metadata.labels"], [podTemplate(o)?.metadata?.labels, "pod labels"]]) {
    for (const [k, v] of Object.entries(labels ?? {})) {
      if (typeof v !== "string" || v.length > 63 || !labelValue.test(v)) {
        problems.push(`${id(o)}: ${where} ${k}=${v} is not a valid label value`);
      }
    }
  }
}

const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "DaemonSet", "Job"].includes(o.kind));
const podLabelsOf = (w) => podTemplate(w)?.metadata?.labels ?? {};
const matches = (selector, labels) => Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
const selecting = (selector) => workloads.filter((w) => matches(selector, podLabelsOf(w)));
const containerPorts = (ws) => new Set(ws.flatMap((w) => (podTemplate(w)?.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => p.name))));
const byKindName = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);

for (const w of workloads) {
  const labels = podLabelsOf(w);
  if (w.kind !== "Job" && !matches(w.spec?.selector?.matchLabels, labels)) {
    problems.push(`${id(w)}: spec.selector does not match the pod template's labels`);
  }
  const spec = podTemplate(w)?.spec ?? {};
  const declared = containerPorts([w]);
  for (const c of spec.containers ?? []) {
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const port = c[probe]?.httpGet?.port;
      if (typeof port === "string" && !declared.has(port)) {
        problems.push(`${id(w)}: ${c.name}.${probe} uses port ${port}, which no container declares`);
      }
    }
  }
  for (const v of spec.volumes ?? []) {
    if (v.configMap && !v.configMap.optional && !byKindName("ConfigMap", v.configMap.name)) {
      problems.push(`${id(w)}: volume ${v.name} names ConfigMap ${v.configMap.name}, which is not rendered`);
    }
  }
  if (w.kind === "StatefulSet" && !byKindName("Service", w.spec.serviceName)) {
    problems.push(`${id(w)}: serviceName ${w.spec.serviceName} is not a rendered Service`);
  }
}
for (const s of objects.filter((o) => o.kind === "Service" && o.spec?.selector)) {
  const selected = selecting(s.spec.selector);
  if (!selected.length) {
    problems.push(`${id(s)}: its selector matches no rendered workload`);
  }
  const names = containerPorts(selected);
  for (const p of s.spec.ports ?? []) {
    if (typeof p.targetPort === "string" && selected.length && !names.has(p.targetPort)) {
      problems.push(`${id(s)}: targetPort ${p.targetPort} is declared by no container it selects`);
    }
  }
}
for (const p of objects.filter((o) => o.kind === "PodDisruptionBudget" || o.kind === "NetworkPolicy")) {
  const selector = p.kind === "NetworkPolicy" ? p.spec?.podSelector?.matchLabels : p.spec?.selector?.matchLabels;
  if (!selecting(selector).length) {
    problems.push(`${id(p)}: its selector matches no rendered workload`);
  }
}
for (const h of objects.filter((o) => o.kind === "HorizontalPodAutoscaler")) {
  const target = h.spec?.scaleTargetRef ?? {};
  if (!byKindName(target.kind, target.name)) {
    problems.push(`${id(h)}: scaleTargetRef ${target.kind}/${target.name} is not rendered`);
  }
}
for (const i of objects.filter((o) => o.kind === "Ingress")) {
  for (const rule of i.spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      const backend = p.backend?.service ?? {};
      const service = byKindName("Service", backend.name);
      if (!service) {
        problems.push(`${id(i)}: backend Service ${backend.name} is not rendered`);
      } else if (backend.port?.name && !(service.spec.ports ?? []).some((sp) => sp.name === backend.port.name)) {
        problems.push(`${id(i)}: Service ${backend.name} has no port named ${backend.port.name}`);
      }
    }
  }
}

if (problems.length) {
  for (const p of problems) {
    console.log(p);
  }
  process.exit(1);
}
const kinds = {};
for (const o of objects) {
  kinds[o.kind] = (kinds[o.kind] ?? 0) + 1;
}
console.log(`valid: ${objects.length} objects (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")})`);

function podTemplate(o) {
  return o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template : o.spec?.template;
}

// --- fields a kind does not have, from kubernetes-models' declarations (I<Kind> interfaces) ---

function unknownFields(value, dtsFile, at) {
  const type = declaration(dtsFile);
  if (!type || value === null || typeof value !== "object" || Array.isArray(value)) {
    return [];
  }
  const found = [];
  for (const [key, child] of Object.entries(value)) {
    const field = type.fields.get(key);
    const where = at ? `${at}.${key}` : key;
    if (!field) {
      found.push(`${where}: no such field`);
    } else if (field.kind === "object") {
      found.push(...unknownFields(child, field.file, where));
    } else if (field.kind === "array" && Array.isArray(child)) {
      child.forEach((item, n) => found.push(...unknownFields(item, field.file, `${where}[${n}]`)));
    } else if (field.kind === "map" && child && typeof child === "object") {
      for (const [k, item] of Object.entries(child)) {
        found.push(...unknownFields(item, field.file, `${where}[${k}]`));
      }
    }
  }
  return found;
}

// The fields of the interface declared in a .d.ts file, each with the file declaring its type when
// that type is an object of its own (directly, as array items or as map values); null for a type
// alias such as IntOrString or Quantity, which has no fields.
function declaration(file) {
  declaration.cache ??= new Map();
  if (declaration.cache.has(file)) {
    return declaration.cache.get(file);
  }
  let result = null;
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const imports = new Map();
    for (const m of text.matchAll(/import \{([^}]*)\} from "([^"]+)";/g)) {
      for (const name of m[1].split(",").map((s) => s.trim()).filter(Boolean)) {
        imports.set(name, importedFile(file, m[2]));
      }
    }
    const start = text.match(/export interface I\w+(?: extends [\w<>, ]+)? \{/);
    if (start) {
      let depth = 1;
      let i = start.index + start[0].length;
      const from = i;
      for (; depth > 0 && i < text.length; i++) {
        if (text[i] === "{") depth++;
        else if (text[i] === "}") depth--;
      }
      const fields = new Map();
      for (const entry of topLevelEntries(text.slice(from, i - 1))) {
        const m = entry.match(/^\s*"([^"]+)"\??:\s*([\s\S]*?)\s*$/);
        if (!m) continue;
        const t = m[2].replace(/\s+/g, " ");
        let g;
        if ((g = t.match(/^(I\w+)$/)) && imports.has(g[1])) fields.set(m[1], { kind: "object", file: imports.get(g[1]) });
        else if ((g = t.match(/^Array<(I\w+)>$/)) && imports.has(g[1])) fields.set(m[1], { kind: "array", file: imports.get(g[1]) });
        else if ((g = t.match(/^\{ \[key: string\]: (I\w+);? \}$/)) && imports.has(g[1])) fields.set(m[1], { kind: "map", file: imports.get(g[1]) });
        else fields.set(m[1], { kind: "leaf" });
      }
      result = { fields };
    }
  }
  declaration.cache.set(file, result);
  return result;
}

function importedFile(from, specifier) {
  if (specifier.startsWith(".")) {
    return path.resolve(path.dirname(from), specifier).replace(/\.js$/, ".d.ts");
  }
  return path.join(modules, `${specifier}.d.ts`);
}

// Splits an interface body at the semicolons that end its members (not those inside { } or < >).
function topLevelEntries(body) {
  const entries = [];
  let depth = 0;
  let current = "";
  for (const ch of body) {
    if (ch === "{" || ch === "<") depth++;
    if (ch === "}" || ch === ">") depth--;
    if (ch === ";" && depth === 0) {
      entries.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  return entries;
}
