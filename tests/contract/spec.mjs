// tests/contract/spec.mjs - reading api-spec/openapi.yaml for the contract
// checks: the document and path-template matching.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export function loadSpec(file) {
  const spec = parse(readFileSync(file, 'utf8'));
  if (spec === null || typeof spec !== 'object' || typeof spec.paths !== 'object') {
    throw new Error(`${file}: not an OpenAPI document with paths`);
  }
  return spec;
}

// "/v1/collectivities/{cid}" -> "/v1/collectivities/{}"
export function normalise(template) {
  return template.replace(/\{[^}/]*\}/g, '{}');
}

// Path templates of the spec, for matching a request path: a templated
// segment matches any non-empty segment; at the first segment where two
// templates differ, a literal one wins over a templated one.
export function pathMatcher(spec) {
  const templates = Object.keys(spec.paths).map((t) => ({
    template: t,
    segs: t.split('/').slice(1).map((s) => (/\{[^}]*\}/.test(s) ? null : s)),
    // segments that are a template expression around literal text, e.g. "{id}.json"
    re: t.split('/').slice(1).map((s) =>
      /\{[^}]*\}/.test(s) && s !== s.match(/\{[^}]*\}/)[0]
        ? new RegExp(
            '^' +
              s
                .split(/\{[^}]*\}/)
                .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
                .join('[^/]+') +
              '$',
          )
        : null,
    ),
  }));
  return function match(path) {
    const segs = path.split('/').slice(1);
    const hits = templates.filter(
      (t) =>
        t.segs.length === segs.length &&
        t.segs.every((s, i) =>
          s !== null ? s === segs[i] : segs[i] !== '' && (t.re[i] === null || t.re[i].test(segs[i])),
        ),
    );
    hits.sort((a, b) => {
      for (let i = 0; i < a.segs.length; i++) {
        const la = a.segs[i] !== null;
        const lb = b.segs[i] !== null;
        if (la !== lb) return la ? -1 : 1;
      }
      return 0;
    });
    return hits.length > 0 ? hits[0].template : null;
  };
}
