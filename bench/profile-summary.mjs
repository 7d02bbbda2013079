// Summarises a V8 .cpuprofile (node --cpu-prof) of the production server by
// category: where the request thread's time went, per request.
//
//   node bench/profile-summary.mjs CPU.….cpuprofile [--from=µs --to=µs --requests=N]
//
// Every sample is charged to its "owner": walking from the sampled frame up
// the stack, the first frame that belongs to a known part (the custom server,
// Next, cookies, tokens, CSRF, Prisma, SQLite, …). Native frames and Node's
// internals are transparent, so WebCrypto's JS glue is charged to jose and
// createHmac to csrf.ts; a stack with no known part above a Node internal is
// charged to that internal (e.g. an HTTP socket callback). JSON.parse,
// JSON.stringify and URL parsing at the top of a stack are their own
// categories, tagged with whoever called them. Bundled code (.next/server/chunks) is mapped back to
// its source file through the build's source maps, so summarise a profile
// against the build that produced it (bench/profile.mjs does, at once). better-sqlite3's native
// calls get no frame of their own in V8's profile: SQLite's own time shows up
// in the JS function that called it (the session store, or Prisma's adapter).
import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(import.meta.dirname, "..");

const maps = new Map();
function sourceMapFor(file) {
  if (!maps.has(file)) {
    let map = null;
    if (existsSync(`${file}.map`)) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
      } catch {
        map = null;
      }
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

/** The project-relative source path of a call frame ("lib/auth/guard.ts", "node_modules/jose/…", "node:net"). */
function sourceOf({ url, lineNumber, columnNumber }) {
  if (!url) return "";
  if (url.startsWith("node:") || url.startsWith("wasm:")) return url;
  const file = url.startsWith("file://") ? fileURLToPath(url) : url;
  const map = file.includes(`${path.sep}.next${path.sep}`) ? sourceMapFor(file) : null;
  const entry = map?.findEntry(lineNumber, columnNumber);
  const original = entry?.originalSource ? path.resolve(path.dirname(file), decodeURIComponent(entry.originalSource.replace(/^file:\/\//, ""))) : file;
  return path.relative(ROOT, original);
}

// [test on the source path, category]; first match wins. Strong owners.
const OWNERS = [
  [/^scripts\/server\.mjs/, "custom server (scripts/server.mjs)"],
  [/^lib\/auth\/cookies\.ts|^node_modules\/cookie\//, "cookies (lib/auth/cookies.ts, cookie)"],
  [/^node_modules\/next\/dist\/compiled\/(cookie|@edge-runtime\/cookies)\//, "cookies (Next's own parsing)"],
  [/^lib\/auth\/(tokens|keys|verified-tokens|hs256)\.ts|^node_modules\/(jose|zod)\//, "token verify/sign (jose, WebCrypto glue, claims)"],
  [/^lib\/auth\/csrf\.ts/, "CSRF + same-origin (lib/auth/csrf.ts)"],
  [/^lib\/auth\/session-store\.ts/, "session store + SQLite engine (lib/auth/session-store.ts)"],
  [/^lib\/sqlite-adapter\.ts|^node_modules\/(@prisma\/adapter-better-sqlite3|better-sqlite3)\//, "SQLite via Prisma adapter (adapter JS + SQLite engine)"],
  [/^node_modules\/(@prisma\/adapter-pg|pg|pg-pool|pg-protocol)\//, "PostgreSQL driver"],
  [/^lib\/generated\/|^node_modules\/@prisma\/|^node_modules\/\.prisma|^wasm:/, "Prisma (query building, compiler, result mapping)"],
  [/^lib\/auth\/guard\.ts/, "guard (lib/auth/guard.ts)"],
  [/^lib\/auth\/sessions\.ts/, "sessions (lib/auth/sessions.ts)"],
  [/^lib\/auth\/|^lib\/shared\//, "other lib/auth (errors, responses, views)"],
  [/^lib\/http\//, "route wrapper (lib/http)"],
  [/^lib\/(db|config|log)/, "db/config/log (lib)"],
  [/^app\//, "route handlers and pages (app/)"],
  [/^node_modules\/(react|react-dom|scheduler)\/|^node_modules\/next\/dist\/compiled\/(react|react-dom|react-server-dom)/, "React rendering"],
  [/^node_modules\/next\//, "Next (routing, request/response adapters)"],
  [/^node_modules\/pino/, "logging (pino)"],
];
// Weak owners: used only when no strong owner is found further up the stack.
const WEAK = [
  [/^node:(_http|http|net|internal\/(http|streams|stream_base|js_stream)|stream)/, "Node HTTP + streams"],
  [/^node:internal\/(crypto|webcrypto)/, "Node crypto (callbacks)"],
  [/^node:internal\/(process\/task_queues|timers|async_hooks)/, "Node event loop (promises, timers)"],
  [/^node:/, "Node (other internals)"],
];
const SPECIAL = { "(garbage collector)": "GC (on the request thread)", "(program)": "V8 (program: compile, IC, native)" };
const SQLITE_PARENT = /^lib\/(sqlite-adapter|auth\/session-store)\.ts|^node_modules\/(@prisma\/adapter-better-sqlite3|better-sqlite3)\//;

const match = (rules, source) => rules.find(([re]) => re.test(source))?.[1];

export function summarize(profile, { from = -Infinity, to = Infinity, requests = 0 } = {}) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const sourceCache = new Map();
  const src = (node) => {
    if (!sourceCache.has(node.id)) sourceCache.set(node.id, sourceOf(node.callFrame));
    return sourceCache.get(node.id);
  };
  const ownerCache = new Map();
  function ownerOf(id) {
    if (ownerCache.has(id)) return ownerCache.get(id);
    const leaf = byId.get(id);
    const name = leaf.callFrame.functionName;
    let result;
    if (SPECIAL[name]) result = SPECIAL[name];
    else if (name === "(idle)") result = null;
    else {
      let weak;
      let strong;
      let nativeLeaf = !leaf.callFrame.url;
      for (let cur = id; cur !== undefined && !strong; cur = parent.get(cur)) {
        const node = byId.get(cur);
        const source = src(node);
        if (!source) continue;
        // A native frame right under the SQLite driver is SQLite itself (prepare/step).
        if (nativeLeaf && SQLITE_PARENT.test(source)) strong = "SQLite engine (native prepare/step)";
        else strong = match(OWNERS, source);
        nativeLeaf = false;
        weak ??= match(WEAK, source);
      }
      result = strong ?? weak ?? "other (native, no JS caller)";
      // A native "parse" right under node:internal/url is URL parsing, not JSON.
      const caller = parent.has(id) ? src(byId.get(parent.get(id))) : "";
      if (!leaf.callFrame.url && name === "parse" && caller === "node:internal/url") result = `new URL() (in ${result})`;
      else if (!leaf.callFrame.url && (name === "stringify" || name === "parse")) result = `JSON.${name} (in ${result})`;
    }
    ownerCache.set(id, result);
    return result;
  }

  const { samples, timeDeltas } = profile;
  const totals = new Map();
  let t = profile.startTime;
  let busyUs = 0;
  let windowUs = 0;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i];
    const weight = timeDeltas[i + 1] ?? 0; // the time until the next sample
    if (t < from || t > to) continue;
    windowUs += weight;
    const owner = ownerOf(samples[i]);
    if (owner === null) continue;
    busyUs += weight;
    totals.set(owner, (totals.get(owner) ?? 0) + weight);
  }
  const rows = [...totals].sort((a, b) => b[1] - a[1]).map(([category, us]) => ({
    category,
    ms: +(us / 1000).toFixed(1),
    share: +((100 * us) / busyUs).toFixed(1),
    usPerRequest: requests ? +(us / requests).toFixed(1) : undefined,
  }));
  return { windowMs: +(windowUs / 1000).toFixed(0), busyMs: +(busyUs / 1000).toFixed(0), requests, usPerRequest: requests ? +(busyUs / requests).toFixed(1) : undefined, rows };
}

export function printSummary(label, s, log = console.log) {
  log(`${label}: ${s.requests} requests in ${s.windowMs} ms; request thread busy ${s.busyMs} ms` + (s.requests ? ` = ${s.usPerRequest} µs per request` : ""));
  for (const r of s.rows) {
    if (r.share < 0.5) continue;
    log(`  ${String(r.usPerRequest ?? r.ms).padStart(8)} ${s.requests ? "µs/req" : "ms"}  ${String(r.share).padStart(5)}%  ${r.category}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, ...rest] = process.argv.slice(2);
  const opt = (name) => Number(rest.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? NaN);
  const window = { from: opt("from"), to: opt("to"), requests: opt("requests") };
  const profile = JSON.parse(readFileSync(file, "utf8"));
  printSummary(path.basename(file), summarize(profile, {
    from: Number.isNaN(window.from) ? -Infinity : window.from,
    to: Number.isNaN(window.to) ? Infinity : window.to,
    requests: Number.isNaN(window.requests) ? 0 : window.requests,
  }));
}
