#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (from `node --cpu-prof`) as text: self time by package or source
// file, and the top functions by self and by inclusive time. Also reads a .heapprofile of
// sampled allocations (bench/support/alloc-profile.mjs): then "time" is bytes allocated. Frames in the esbuild bundle
// (dist/) are mapped back to their original file through the bundle's source maps, so time
// shows up under src/... or node_modules/<package>, not under chunk-XYZ.mjs.
//
// Usage: node bench/support/summarize-profile.mjs PROFILE.cpuprofile [--top N] [--focus REGEX] [--callers REGEX]
//   --focus: also print the inclusive time of every function whose name or file matches.
//   --callers: for samples whose own frame matches, the call paths (5 frames up) they came from.

import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const file = args[0];
if (!file) {
  console.error('usage: summarize-profile.mjs PROFILE.cpuprofile [--top N] [--focus REGEX]');
  process.exit(2);
}
const top = Number(args[args.indexOf('--top') + 1]) || 25;
const focus = args.includes('--focus') ? new RegExp(args[args.indexOf('--focus') + 1]) : undefined;
const callers = args.includes('--callers') ? new RegExp(args[args.indexOf('--callers') + 1]) : undefined;
let profile = JSON.parse(readFileSync(file, 'utf8'));
// A .heapprofile (sampled allocations, bench/support/alloc-profile.mjs) is a tree with
// selfSize per node: flatten it to the .cpuprofile shape, bytes in place of microseconds.
const bytes = profile.head !== undefined;
if (bytes) {
  const nodes = [];
  let next = 1;
  const walk = (n) => {
    const id = next++;
    const node = { id, callFrame: n.callFrame, selfSize: n.selfSize, children: [] };
    nodes.push(node);
    for (const c of n.children ?? []) node.children.push(walk(c));
    return id;
  };
  walk(profile.head);
  profile = { nodes, samples: nodes.map((n) => n.id), timeDeltas: nodes.map((n) => n.selfSize) };
}

// Sample interval per node: sum of timeDeltas attributed to each sample.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const maps = new Map();
function sourceMapOf(url) {
  if (!maps.has(url)) {
    let map = null;
    try {
      // The benchmark's private copy of dist/ may be gone by now; the chunk names are content
      // hashes, so the repository's dist/ from the same build has the same maps.
      const path = fileURLToPath(url);
      const local = new URL(`../../dist/${path.slice(path.lastIndexOf('/dist/') + '/dist/'.length)}`, import.meta.url);
      const candidates = [`${path}.map`, `${fileURLToPath(local)}.map`];
      const found = candidates.find((c) => existsSync(c));
      if (found) map = new SourceMap(JSON.parse(readFileSync(found, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(url, map);
  }
  return maps.get(url);
}

/** Where a frame's code really comes from: original file (through the source map) and name. */
function locate(cf) {
  let where = cf.url || '(native)';
  if (cf.url && cf.url.startsWith('file://') && cf.url.includes('/dist/')) {
    const map = sourceMapOf(cf.url);
    const entry = map?.findEntry(cf.lineNumber, cf.columnNumber);
    if (entry && entry.originalSource) return { file: entry.originalSource, line: entry.originalLine + 1 };
  }
  return { file: where, line: cf.lineNumber + 1 };
}

function packageOf(path) {
  if (path === '(native)' || path === '') return '(native / V8)';
  if (path.startsWith('node:')) return 'node: internals';
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = path.indexOf('src/');
  if (src >= 0) return path.slice(src).split('/').slice(0, 2).join('/');
  return path.replace(/^.*\//, '');
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const info = new Map();
for (const n of profile.nodes) {
  const loc = locate(n.callFrame);
  const name = n.callFrame.functionName || '(anonymous)';
  const short = loc.file.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/');
  info.set(n.id, { key: `${name}  ${short}:${loc.line}`, pkg: packageOf(loc.file) });
}

const selfByKey = new Map();
const selfByPkg = new Map();
for (const [id, us] of selfUs) {
  const { key, pkg } = info.get(id);
  selfByKey.set(key, (selfByKey.get(key) ?? 0) + us);
  if (!key.startsWith('(idle)')) selfByPkg.set(pkg, (selfByPkg.get(pkg) ?? 0) + us);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclByKey = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const { key } = info.get(cur);
    if (seen.has(key)) continue;
    seen.add(key);
    inclByKey.set(key, (inclByKey.get(key) ?? 0) + us);
  }
}

// Percentages are of the time the process was busy: a server idles between the runs of a
// benchmark that measures other targets, and idle time would dilute every other figure.
const idleUs = bytes ? 0 : [...selfUs].filter(([id]) => info.get(id).key.startsWith('(idle)')).reduce((a, [, us]) => a + us, 0);
const busyUs = totalUs - idleUs;
const pct = (us) => `${((100 * us) / busyUs).toFixed(1).padStart(5)}%`;
const list = (m, n) => [...m].filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)')).sort((a, b) => b[1] - a[1]).slice(0, n);
const idle = [...selfByKey].filter(([k]) => /^\((program|garbage collector)\)/.test(k)).map(([k, v]) => `${k.split('  ')[0]} ${pct(v)}`);

console.log(`profile: ${file}`);
console.log(bytes
  ? `sampled allocations: ${(totalUs / 1048576).toFixed(1)} MB`
  : `sampled: ${(totalUs / 1e6).toFixed(2)} s, busy ${(busyUs / 1e6).toFixed(2)} s; percentages are of busy time; ${idle.join(', ')}`);
console.log(`\nself time by package / source folder:`);
for (const [k, v] of list(selfByPkg, top)) console.log(`  ${pct(v)}  ${k}`);
console.log(`\ntop ${top} functions by self time:`);
for (const [k, v] of list(selfByKey, top)) console.log(`  ${pct(v)}  ${k}`);
console.log(`\ntop ${top} functions by inclusive time:`);
for (const [k, v] of list(inclByKey, top)) console.log(`  ${pct(v)}  ${k}`);
if (focus) {
  console.log(`\ninclusive time of functions matching ${focus}:`);
  for (const [k, v] of list(new Map([...inclByKey].filter(([k]) => focus.test(k))), 60)) console.log(`  ${pct(v)}  ${k}`);
}
if (callers) {
  const paths = new Map();
  for (const [id, us] of selfUs) {
    if (!callers.test(info.get(id).key)) continue;
    const chain = [];
    for (let cur = parent.get(id); cur !== undefined && chain.length < 12; cur = parent.get(cur)) chain.push(info.get(cur).key.split('  ')[0]);
    const k = `${info.get(id).key.split('  ')[0]} <- ${chain.join(' <- ')}`;
    paths.set(k, (paths.get(k) ?? 0) + us);
  }
  console.log(`\ncall paths of samples in functions matching ${callers}:`);
  for (const [k, v] of list(paths, 20)) console.log(`  ${pct(v)}  ${k}`);
}
void byId;
