// Per-call latency of parse + prompt through the two committed .wasm components under Node.js (V8),
// the speed reference for ComponentLatencyBenchmark (Chicory). Same six clues, same JSON in and out
// (the host encodes the request, decodes the parsed clue, re-encodes it for the prompt builder and
// decodes the prompt, as ComponentCodec does), same canonical-ABI protocol, one warm instance each.
//
// usage: node scripts/bench/v8-components.mjs [warmupCalls] [measuredCalls] [componentsDir]
// prints: V8 median <us> us   p99 <us> us   (n=<measured>)   plus a per-component split.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const warmup = Number(process.argv[2] ?? 20000);
const measured = Number(process.argv[3] ?? 20000);
const dir = process.argv[4] ?? join(here, '..', '..', 'components');

const CLUES = [
  { clue: 'Bourne Identity star (4,5)', pattern: null, count: null },
  { clue: 'Shade of pink', pattern: '?????', count: null },
  { clue: "Who were five actors in the movie Ocean's Eleven?", pattern: null, count: null },
  { clue: 'Spy novel', pattern: 'b?urn? ?d?nt?ty', count: 3 },
  { clue: 'Large body of water (5)', pattern: null, count: null },
  { clue: 'See 17-Across', pattern: null, count: null },
];

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8');

async function load(file, fn) {
  const { instance } = await WebAssembly.instantiate(readFileSync(join(dir, file)), {});
  const e = instance.exports;
  const call = e[fn];
  const post = e['cabi_post_' + fn];
  return (text) => {
    const bytes = enc.encode(text);
    const ptr = e.cabi_realloc(0, 0, 1, bytes.length);
    new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
    const ret = call(ptr, bytes.length);
    const view = new DataView(e.memory.buffer);
    const p = view.getUint32(ret, true);
    const n = view.getUint32(ret + 4, true);
    const out = dec.decode(new Uint8Array(e.memory.buffer, p, n)); // copies
    post(ret);
    return out;
  };
}

const parse = await load('clue-parser.wasm', 'parse');
const build = await load('prompt-builder.wasm', 'build');

let parseNs = 0n;
function once(i) {
  const t0 = process.hrtime.bigint();
  const clue = JSON.parse(parse(JSON.stringify(CLUES[i % CLUES.length])));
  const t1 = process.hrtime.bigint();
  parseNs += t1 - t0;
  if (clue.error) throw new Error('parser refused: ' + JSON.stringify(clue.error));
  const input = JSON.stringify({ text: clue.text, enumeration: clue.enumeration, length: clue.length,
    pattern: clue.pattern, count: clue.count, kind: clue.kind, quoted: clue.quoted });
  const prompt = JSON.parse(build(input));
  if (!prompt.grammar) throw new Error('empty grammar: ' + JSON.stringify(prompt).slice(0, 200));
}

for (let i = 0; i < warmup; i++) once(i);
parseNs = 0n;
const samples = new Float64Array(measured);
for (let i = 0; i < measured; i++) {
  const t0 = process.hrtime.bigint();
  once(i);
  samples[i] = Number(process.hrtime.bigint() - t0) / 1000;
}
samples.sort();
const median = samples[Math.floor(measured / 2)];
const p99 = samples[Math.min(measured - 1, Math.ceil(measured * 0.99) - 1)];
console.log(`V8 (node ${process.version}) median ${median.toFixed(1).padStart(8)} us   p99 ${p99.toFixed(1).padStart(8)} us   (n=${measured})`);
console.log(`V8 parse share of the mean: ${(Number(parseNs) / 1000 / measured).toFixed(1)} us per call`);
