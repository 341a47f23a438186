// Writes test/polaris-local/openapi-extract.json: the paths, methods, status codes and JSON schemas of
// the Polaris API routes polaris-local serves, without descriptions or examples, from Imply's published
// OpenAPI document (a public copy: docs/openapi.json in
// https://github.com/arimal199/terraform-provider-imply). Usage:
//   node test/polaris-local/extract-openapi.mjs openapi.json test/polaris-local/openapi-extract.json
import { readFileSync, writeFileSync } from 'node:fs';
const [src, out] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(src, 'utf8'));
const P = '/v1/projects/{projectId}';
const KEEP = {
  '/query/sql': ['post'], '/query/sql/statements': ['post'], '/query/sql/statements/{queryId}': ['get', 'delete'],
  '/query/sql/statements/{queryId}/results': ['get'], '/tables': ['get', 'post'], '/tables/{tableName}': ['get'],
  '/files': ['get', 'post'], '/files/{name}': ['get', 'delete'], '/jobs': ['get', 'post'], '/jobs/{jobId}': ['get'],
  '/jobs/{jobId}/status': ['get', 'post'], '/connections': ['get', 'post'], '/connections/{name}': ['get'],
  '/events/{connectionName}': ['post'],
};
const DROP = new Set(['x-all-of-name', 'x-async-enabled', 'x-default-type', 'x-disable-validation', 'x-field-extra-annotation', 'description', 'example', 'examples', 'summary', 'x-codeSamples', 'tags', 'title', 'externalDocs', 'deprecated', 'x-internal', 'x-stoplight']);
// Keys under `properties` are property names, kept whatever they are called.
const strip = (o, names = false) => Array.isArray(o) ? o.map((v) => strip(v)) : o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([k]) => names || !DROP.has(k)).map(([k, v]) => [k, strip(v, !names && k === 'properties')])) : o;
const paths = {};
for (const [tail, methods] of Object.entries(KEEP)) {
  const item = doc.paths[P + tail];
  const kept = {};
  if (item.parameters) kept.parameters = item.parameters;
  for (const m of methods) kept[m] = item[m];
  paths[P + tail] = strip(kept);
}
const components = {};
const seen = new Set();
const walk = (o) => {
  if (Array.isArray(o)) return o.forEach(walk);
  if (!o || typeof o !== 'object') return;
  if (typeof o.$ref === 'string' && !seen.has(o.$ref)) {
    seen.add(o.$ref);
    const [, , kind, name] = o.$ref.split('/');
    const target = strip(doc.components[kind][name]);
    (components[kind] ??= {})[name] = target;
    walk(target);
  }
  if (o.discriminator?.mapping) for (const ref of Object.values(o.discriminator.mapping)) walk({ $ref: ref });
  for (const v of Object.values(o)) walk(v);
};
walk(paths);
for (const kind of Object.keys(components)) components[kind] = Object.fromEntries(Object.entries(components[kind]).sort(([a], [b]) => a.localeCompare(b)));
const extract = { openapi: doc.openapi, info: { title: doc.info.title, version: doc.info.version }, servers: doc.servers.map((s) => ({ url: s.url })), security: doc.security, paths, components: { ...components, securitySchemes: strip(doc.components.securitySchemes) } };
writeFileSync(out, JSON.stringify(extract, null, 1) + '\n');
