#!/usr/bin/env node
// tests/contract/validate.mjs SPEC EXCHANGES - checks every recorded HTTP
// exchange (JSONL, one per response the API tests received:
// {"method","path","status","content_type","headers","body"}) against the
// OpenAPI document SPEC:
//   - the operation is found from the path (query removed; a templated
//     segment matches any non-empty segment, literal segments win) and the
//     method (HEAD -> the GET operation without body; OPTIONS needs none);
//   - the status is documented (exactly, as a range like 4XX, or, for an
//     error status 4xx/5xx only, by default);
//   - the media type (without parameters) is one the response declares; a
//     response without content has an empty body;
//   - a JSON body parses and is valid (JSON Schema 2020-12, Ajv) against the
//     declared schema; a problem's "status" equals the HTTP status;
//   - every header the response marks required is present.
// Requests to paths or methods that the spec lacks (404, 405, 400, 431, 501
// ... sent on purpose by the tests) must get an application/problem+json
// body valid against components.schemas.Problem, with status equal to the
// HTTP status. Exchanges with status 0 (no complete response) are skipped.
// Last line "contract: N passed, M failed[, K skipped]"; exits non-zero on
// any failure, and when nothing was checked.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadSpec, pathMatcher } from './spec.mjs';

const SPEC_ID = 'https://participe.invalid/api-spec/openapi.yaml';
const OPERATION_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MAX_AJV_ERRORS = 10;

const ptr = (segs) => '/' + segs.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

class Checker {
  constructor(spec) {
    this.spec = spec;
    this.match = pathMatcher(spec);
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // The whole document is one schema resource: "#/components/..." refs
    // inside any schema resolve against it.
    this.ajv.addSchema({ ...spec, $id: SPEC_ID }, SPEC_ID);
    this.validators = new Map();
    this.used = new Set();
  }

  // Follows local $refs from the node at pointer segments `segs`; returns
  // the node and the pointer segments of where it really is.
  at(segs) {
    let node = segs.reduce((o, k) => (o == null ? undefined : o[k]), this.spec);
    const seen = new Set();
    while (node && typeof node === 'object' && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      if (seen.has(node.$ref)) throw new Error(`circular $ref ${node.$ref}`);
      seen.add(node.$ref);
      segs = node.$ref
        .slice(2)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
      node = segs.reduce((o, k) => (o == null ? undefined : o[k]), this.spec);
    }
    return { node, segs };
  }

  validator(segs) {
    const key = ptr(segs);
    let v = this.validators.get(key);
    if (!v) {
      const frag = segs.map((s) => encodeURIComponent(String(s).replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
      v = this.ajv.compile({ $ref: `${SPEC_ID}#/${frag}` });
      this.validators.set(key, v);
    }
    return v;
  }

  // Returns a list of problems (strings) for one exchange, or null if it
  // was skipped.
  check(x) {
    const errs = [];
    const status = x.status;
    if (status === 0) return null;
    if (!Number.isInteger(status) || status < 100 || status > 599) return [`bad status ${JSON.stringify(status)}`];
    const method = x.method;
    let path = String(x.path ?? '');
    path = path.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, ''); // absolute-form target
    path = path.split('?')[0].split('#')[0];
    const segsDecoded = path.startsWith('/')
      ? '/' +
        path
          .slice(1)
          .split('/')
          .map((s) => {
            try {
              return decodeURIComponent(s).replace(/\//g, '%2F');
            } catch {
              return s;
            }
          })
          .join('/')
      : null;
    const template = segsDecoded !== null && method !== null ? this.match(segsDecoded) : null;
    const item = template ? this.at(['paths', template]) : null;
    const bodyless = method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200);

    if (template && method === 'OPTIONS') {
      // Answered by the server for every route, not an operation of the spec.
      if (status >= 400) return this.fallback(x, bodyless, errs);
      if (bodyless && x.body !== '') errs.push('OPTIONS response with a body');
      this.used.add(`OPTIONS ${template}`);
      return errs;
    }
    const opMethod = method === 'HEAD' ? 'get' : method !== null && OPERATION_METHODS.has(method) ? method.toLowerCase() : null;
    const opSegs = template && opMethod && item.node[opMethod] ? [...item.segs, opMethod] : null;
    if (!opSegs) return this.fallback(x, bodyless, errs);

    const op = this.at(opSegs);
    this.used.add(`${opMethod.toUpperCase()} ${template}`);
    const responses = this.at([...op.segs, 'responses']);
    const codes = responses.node ?? {};
    // `default` stands for the errors not listed; a success or redirection
    // status must be listed itself (or as a range such as 2XX).
    const candidates = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`];
    if (status >= 400) candidates.push('default');
    const code = candidates.find((c) => c in codes);
    if (code === undefined) {
      errs.push(`status ${status} is not documented for ${opMethod.toUpperCase()} ${template} (documented: ${Object.keys(codes).join(', ')}${status < 400 && 'default' in codes ? '; default covers errors only' : ''})`);
      return errs;
    }
    this.used.add(`${opMethod.toUpperCase()} ${template} ${code}`);
    this.checkResponse(x, this.at([...responses.segs, code]), bodyless, errs, `${opMethod.toUpperCase()} ${template} ${code}`);
    return errs;
  }

  // A request the spec has no operation for: the error must be a problem.
  fallback(x, bodyless, errs) {
    if (x.status < 400) {
      errs.push(`status ${x.status} for a path/method the spec does not have (only errors are expected there)`);
      return errs;
    }
    const generic = this.at(['components', 'responses', 'Problem']);
    if (generic.node) {
      this.checkResponse(x, generic, bodyless, errs, 'fallback components.responses.Problem');
      return errs;
    }
    const schema = this.at(['components', 'schemas', 'Problem']);
    if (!schema.node) {
      errs.push('the spec has no components.schemas.Problem for the fallback check');
      return errs;
    }
    const synthetic = { segs: null, node: { content: { 'application/problem+json': { schema: schema.node } } } };
    this.checkResponse(x, synthetic, bodyless, errs, 'fallback Problem', schema.segs);
    return errs;
  }

  checkResponse(x, resp, bodyless, errs, where, schemaSegsOverride) {
    const r = resp.node;
    const headers = x.headers ?? {};
    // Required headers.
    for (const name of Object.keys(r.headers ?? {})) {
      if (name.toLowerCase() === 'content-type') continue; // ignored by OpenAPI
      const h = resp.segs ? this.at([...resp.segs, 'headers', name]) : { node: r.headers[name], segs: null };
      const value = headers[name.toLowerCase()];
      if (h.node?.required && value === undefined) errs.push(`${where}: required header ${name} is missing`);
      const t = h.segs ? this.at([...h.segs, 'schema']).node : h.node?.schema;
      if (value !== undefined && t && t.type === 'integer' && !/^-?[0-9]+$/.test(value.trim())) {
        errs.push(`${where}: header ${name} must be an integer, got ${JSON.stringify(value)}`);
      }
    }
    const content = r.content ?? {};
    const types = Object.keys(content);
    const body = typeof x.body === 'string' ? x.body : '';
    if (types.length === 0) {
      if (body !== '') errs.push(`${where}: the response has no content in the spec but a body of ${body.length} bytes`);
      return;
    }
    if (x.status === 204 || x.status === 304) {
      errs.push(`${where}: status ${x.status} must not declare content`);
      return;
    }
    const mt = String(x.content_type ?? '').split(';')[0].trim().toLowerCase();
    const declared = types.find((t) => t.toLowerCase() === mt) ??
      types.find((t) => t.endsWith('/*') && mt.startsWith(t.slice(0, -1).toLowerCase())) ??
      types.find((t) => t === '*/*');
    if (mt === '' && bodyless && body === '') return;
    if (declared === undefined) {
      errs.push(`${where}: Content-Type ${JSON.stringify(x.content_type ?? '')} is not one of ${types.join(', ')}`);
      return;
    }
    if (bodyless) {
      if (body !== '' && x.method === 'HEAD') errs.push(`${where}: HEAD response with a body`);
      return;
    }
    if (!(mt === 'application/json' || mt.endsWith('+json'))) return; // text/plain, application/yaml: type only
    let value;
    try {
      value = JSON.parse(body);
    } catch (e) {
      errs.push(`${where}: body is not JSON (${e.message}): ${JSON.stringify(body.slice(0, 200))}`);
      return;
    }
    const schemaSegs = schemaSegsOverride ?? (resp.segs ? this.at([...resp.segs, 'content', declared, 'schema']).segs : null);
    if (schemaSegs && content[declared].schema !== undefined) {
      const v = this.validator(schemaSegs);
      if (!v(value)) {
        errs.push(`${where}: body does not match ${ptr(schemaSegs)}:`);
        for (const e of v.errors.slice(0, MAX_AJV_ERRORS)) {
          errs.push(`    ${e.instancePath || '(body)'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`);
        }
        if (v.errors.length > MAX_AJV_ERRORS) errs.push(`    ... and ${v.errors.length - MAX_AJV_ERRORS} more`);
      }
    }
    if (mt === 'application/problem+json' && value && typeof value === 'object' && value.status !== x.status) {
      errs.push(`${where}: problem status ${JSON.stringify(value.status)} differs from the HTTP status ${x.status}`);
    }
  }
}

// The recorder takes the request line from the bytes it sends; after a body
// sent in the same write as the next request, the body's tail can be glued
// to the method ("{}GET"). A real method is a token: take the trailing one.
function recoverMethod(m) {
  if (typeof m !== 'string') return { method: null, garbled: true };
  if (TOKEN.test(m)) return { method: m, garbled: false };
  const t = /[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.exec(m);
  return { method: t ? t[0] : null, garbled: true };
}

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node tests/contract/validate.mjs api-spec/openapi.yaml EXCHANGES.jsonl');
    return 2;
  }
  const [specFile, exFile] = argv;
  const checker = new Checker(loadSpec(specFile));
  let text;
  try {
    text = readFileSync(exFile, 'utf8');
  } catch (e) {
    console.log(`FAIL cannot read ${exFile}: ${e.message}`);
    console.log('contract: 0 passed, 1 failed');
    return 1;
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let garbled = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let x;
    try {
      x = JSON.parse(line);
    } catch (e) {
      failed++;
      console.log(`FAIL ${exFile}:${i + 1}: not a JSON object: ${e.message}`);
      return;
    }
    const rm = recoverMethod(x.method);
    if (rm.garbled && rm.method !== null) garbled++;
    const errs = checker.check({ ...x, method: rm.method });
    if (errs === null) {
      skipped++;
      return;
    }
    if (errs.length === 0) {
      passed++;
      return;
    }
    failed++;
    const shownMethod = rm.garbled ? JSON.stringify(x.method) : x.method;
    console.log(`FAIL ${exFile}:${i + 1}: ${shownMethod} ${x.path} -> ${x.status}`);
    for (const e of errs) console.log(`  ${e}`);
    console.log(`  body: ${JSON.stringify(String(x.body ?? '').slice(0, 300))}`);
  });
  if (garbled > 0) {
    console.log(`note: ${garbled} recorded method(s) had other bytes glued before them; checked with the trailing token`);
  }
  // Coverage, for information: operations the tests never reached.
  const spec = checker.spec;
  const missing = [];
  for (const [t, item] of Object.entries(spec.paths)) {
    for (const m of ['get', 'put', 'post', 'delete', 'patch']) {
      if (item?.[m] && !checker.used.has(`${m.toUpperCase()} ${t}`)) missing.push(`${m.toUpperCase()} ${t}`);
    }
  }
  if (missing.length > 0) console.log(`note: operations no exchange reached: ${missing.join(', ')}`);
  if (passed + failed === 0) {
    console.log(`FAIL ${exFile}: no exchange to check (did the API tests record any?)`);
    failed = 1;
  }
  console.log(`contract: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.log(`FAIL ${e.stack || e.message}`);
  console.log('contract: 0 passed, 1 failed');
  process.exitCode = 1;
}
