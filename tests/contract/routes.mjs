#!/usr/bin/env node
// tests/contract/routes.mjs SPEC ROUTES - compares the server's route table
// (the output of `bin/participe routes`: one "METHOD PATTERN" line per route)
// with the paths and methods of the OpenAPI document SPEC. Path parameter
// names may differ: both sides are compared with {name} normalised to {}.
// HEAD and OPTIONS, which the server answers implicitly, are not required
// in the spec. Prints each difference; last line "routes: N passed, M failed"
// (one check per route found on either side).
import { readFileSync } from 'node:fs';
import { loadSpec, normalise } from './spec.mjs';

const SPEC_METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const IMPLICIT = new Set(['HEAD', 'OPTIONS']);

function main(argv) {
  if (argv.length !== 2) {
    console.error('usage: node tests/contract/routes.mjs api-spec/openapi.yaml ROUTES-FILE');
    return 2;
  }
  const [specFile, routesFile] = argv;
  const spec = loadSpec(specFile);

  const inSpec = new Map(); // "GET /v1/x/{}" -> "GET /v1/x/{cid}"
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const m of SPEC_METHODS) {
      if (item && item[m]) inSpec.set(`${m.toUpperCase()} ${normalise(template)}`, `${m.toUpperCase()} ${template}`);
    }
  }

  const inServer = new Map();
  const problems = [];
  readFileSync(routesFile, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      line = line.trim();
      if (line === '') return;
      const m = /^([A-Z]+) (\/\S*)$/.exec(line);
      if (!m) {
        problems.push(`${routesFile}:${i + 1}: not "METHOD PATTERN": ${JSON.stringify(line)}`);
        return;
      }
      if (IMPLICIT.has(m[1])) return;
      const key = `${m[1]} ${normalise(m[2])}`;
      if (inServer.has(key)) problems.push(`${routesFile}:${i + 1}: route listed twice: ${line}`);
      inServer.set(key, line);
    });
  if (inServer.size === 0) problems.push(`${routesFile}: no routes (did \`participe routes\` run?)`);

  let passed = 0;
  let failed = problems.length;
  for (const p of problems) console.log(`FAIL ${p}`);
  for (const [key, shown] of inServer) {
    if (inSpec.has(key)) passed++;
    else {
      failed++;
      console.log(`FAIL server route not in the spec: ${shown}`);
    }
  }
  for (const [key, shown] of inSpec) {
    if (!inServer.has(key)) {
      failed++;
      console.log(`FAIL spec operation not served: ${shown}`);
    }
  }
  console.log(`routes: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.log(`FAIL ${e.message}`);
  console.log('routes: 0 passed, 1 failed');
  process.exitCode = 1;
}
