// tests/cli/vote_export.mjs - an election export made from docs/protocol.md
// alone, with Node's crypto (Ed25519, SHA-256) and nothing of lib/: the
// independent implementation `participe verify` is checked against.
//
//   node tests/cli/vote_export.mjs EXPORT.json RESULT.txt [TAMPER]
//
// writes the export of a closed authority-mode election (one question of
// each rule, a revote, several signed tree heads) and the result it must
// verify to. TAMPER changes one thing afterwards (see the switch below),
// and the export must then fail verification.
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [out, resultOut, tamper = 'none'] = process.argv.slice(2);

const u32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
const u64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
};
const F = (b) => Buffer.concat([u32(b.length), b]);
const T = (s) => F(Buffer.from(s, 'ascii'));
const H = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();

// Ed25519 key pairs from random seeds (PKCS#8 wrapping of RFC 8410).
const keypair = () => {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), randomBytes(32)]);
  const priv = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const pub = Buffer.from(createPublicKey(priv).export({ format: 'jwk' }).x, 'base64url');
  return { priv, pub };
};
const sig = (k, msg) => sign(null, msg, k.priv);

const log = keypair();
const questions = [
  { id: 'maire', options: ['a', 'b', 'c'], rule: { kind: 'single' } },
  { id: 'projets', options: ['parc', 'piste', 'ecole'], rule: { kind: 'approval', max: 2, min: 0 } },
  { id: 'ordre', options: ['x', 'y', 'z', 'w'], rule: { kind: 'ranking', max: 4, min: 1 } },
  { id: 'budget', options: ['b1', 'b2'], rule: { kind: 'cumulative', max_per_option: 6, total: 10 } },
];
// Sorted keys, no white space: written out member by member.
const rule = (r) =>
  r.kind === 'single'
    ? '{"kind":"single"}'
    : r.kind === 'cumulative'
      ? `{"kind":"cumulative","max_per_option":${r.max_per_option},"total":${r.total}}`
      : `{"kind":"${r.kind}","max":${r.max},"min":${r.min}}`;
const descriptor =
  '{"closes_at":"2027-01-31T18:00:00Z","collectivity":"11111111-2222-4333-8444-555555555555",' +
  '"collectivity_slug":"bourg-en-lys","credentials":"authority",' +
  '"election":"0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5",' +
  `"log_key":"${log.pub.toString('hex')}","opens_at":"2027-01-10T08:00:00Z",` +
  '"process":"66666666-7777-4888-9999-aaaaaaaaaaaa","questions":[' +
  questions
    .map(
      (q) =>
        `{"id":"${q.id}","options":[` +
        q.options.map((o) => `{"id":"${o}","label":"Option ${o.toUpperCase()}"}`).join(',') +
        `],"rule":${rule(q.rule)},"text":"Question ${q.id} ?"}`,
    )
    .join(',') +
  '],"revote":true,"title":"Budget participatif 2027","version":1}';
const fp = H(T('participe/election/v1'), F(Buffer.from(descriptor, 'utf8')));

const voters = [keypair(), keypair(), keypair(), keypair()];
const list = voters.map((v) => v.pub).sort(Buffer.compare);
const listHash = H(T('participe/credentials/v1'), F(u64(list.length)), F(Buffer.concat(list)));

let time = 1800000000000;
const entries = [];
entries.push(Buffer.concat([T('participe/log/open/v1'), F(fp), F(listHash), F(u64(list.length)), F(u64(time++))]));

// A choice: per question, [option index, value] pairs.
const encode = (key, seq, choice) => {
  let c = u32(choice.length);
  for (const pairs of choice) {
    const sorted = [...pairs].sort((p, q) => p[0] - q[0]);
    c = Buffer.concat([c, u32(sorted.length), ...sorted.flatMap(([o, v]) => [u32(o), u32(v)])]);
  }
  return Buffer.concat([T('participe/ballot/v1'), F(fp), F(key), F(u64(seq)), F(c)]);
};
const cast = [];
const vote = (v, seq, choice) => {
  const ballot = encode(voters[v].pub, seq, choice);
  const s = sig(voters[v], ballot);
  entries.push(Buffer.concat([T('participe/log/ballot/v1'), F(ballot), F(s), F(u64(time++))]));
  cast.push({ key: voters[v].pub.toString('hex'), seq, choice });
};

const heads = [];
const mth = (leaves) => {
  if (leaves.length === 0) return H();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return H(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
};
const head = () => {
  const leaves = entries.map((e) => H(Buffer.from([0]), e));
  const root = mth(leaves);
  const t = time++;
  const msg = Buffer.concat([T('participe/tree-head/v1'), F(fp), F(u64(entries.length)), F(root), F(u64(t))]);
  heads.push({ tree_size: entries.length, root: root.toString('hex'), timestamp: t, signature: sig(log, msg).toString('hex') });
};

head();
vote(0, 1, [[[0, 1]], [[0, 1], [2, 1]], [[3, 1], [0, 2]], [[0, 6], [1, 4]]]);
vote(1, 1, [[[1, 1]], [], [[1, 1]], [[1, 6]]]);
head();
vote(2, 3, [[[1, 1]], [[2, 1]], [[2, 1], [1, 2], [0, 3], [3, 4]], [[0, 1], [1, 1]]]);
vote(0, 2, [[[2, 1]], [[1, 1]], [[0, 1], [1, 2]], [[0, 5]]]);
head();
head();
vote(3, 1, [[[1, 1]], [[0, 1], [1, 1]], [[1, 1], [0, 2]], [[1, 3]]]);
entries.push(Buffer.concat([T('participe/log/close/v1'), F(fp), F(u64(cast.length)), F(u64(time++))]));
head();

// The result: the highest sequence number of each key counts.
const last = new Map();
for (const b of cast) if (!last.has(b.key) || last.get(b.key).seq < b.seq) last.set(b.key, b);
const result = {
  ballots: last.size,
  cast: cast.length,
  questions: questions.map((q, i) => {
    const n = q.options.length;
    const totals = new Array(n).fill(0);
    const first = new Array(n).fill(0);
    for (const b of last.values())
      for (const [o, v] of b.choice[i]) {
        if (q.rule.kind === 'ranking') {
          totals[o] += n - v;
          if (v === 1) first[o] += 1;
        } else totals[o] += q.rule.kind === 'cumulative' ? v : 1;
      }
    const max = Math.max(...totals);
    const winners = max > 0 ? q.options.filter((_, j) => totals[j] === max) : [];
    return q.rule.kind === 'ranking'
      ? { first, id: q.id, kind: q.rule.kind, totals, winners }
      : { id: q.id, kind: q.rule.kind, totals, winners };
  }),
};

const x = {
  descriptor,
  fingerprint: fp.toString('hex'),
  credentials: list.map((k) => k.toString('hex')),
  log: entries.map((e, index) => ({ index, entry: e.toString('hex') })),
  tree_heads: heads,
  result,
};
const flip = (hex, pos) => hex.slice(0, pos) + (parseInt(hex[pos], 16) ^ 1).toString(16) + hex.slice(pos + 1);
switch (tamper) {
  case 'none':
    break;
  case 'entry': // a byte of a ballot's choices
    x.log[2].entry = flip(x.log[2].entry, x.log[2].entry.length - 200);
    break;
  case 'signature': // a byte of a ballot's signature
    x.log[4].entry = flip(x.log[4].entry, x.log[4].entry.length - 60);
    break;
  case 'root':
    x.tree_heads[1].root = flip(x.tree_heads[1].root, 0);
    break;
  case 'head-signature':
    x.tree_heads[2].signature = flip(x.tree_heads[2].signature, 3);
    break;
  case 'result':
    x.result.questions[0].totals[1] += 1;
    break;
  case 'removed':
    x.log.splice(3, 1);
    x.log.forEach((e, i) => (e.index = i));
    break;
  case 'credential':
    x.credentials.pop();
    break;
  default:
    throw new Error(`unknown tamper ${tamper}`);
}
writeFileSync(out, JSON.stringify(x));
writeFileSync(resultOut, JSON.stringify(result) + '\n');
