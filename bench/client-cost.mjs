// What the browser pays for lib/client (fetch wrapper, re-login dialog, SWR
// setup): the gzipped size of its modules in the production build.
//
// Method. Turbopack's browser chunks (.next/static/chunks/*.js) are arrays of
// `moduleId, factory` pairs pushed onto globalThis.TURBOPACK, with numeric ids
// and no file names. Each chunk is evaluated in an empty VM context that only
// collects those pairs (nothing runs: factories are never called). A module is
// attributed to a lib/client file when it contains at least half of that
// file's distinctive string literals (>= 10 characters; minifiers keep string
// contents). Reported: each match's minified size, the gzip size of all
// matched modules together (what they add to the transfer), and the chunks
// that carry them (upper bound: those chunks also hold other code).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";

const ROOT = path.resolve(import.meta.dirname, "..");

function filesUnder(dir, test) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, test) : test(p) ? [p] : [];
  });
}

/** String literals a minifier keeps verbatim (no template placeholders, no escapes). */
function markersOf(source) {
  const found = new Set();
  for (const m of source.matchAll(/(["'`])((?:(?!\1)[^\\\n$])+)\1/g)) {
    const text = m[2];
    if (text.length >= 10 && !text.startsWith("./") && !text.startsWith("../") && !text.startsWith("@/")) found.add(text);
  }
  return [...found];
}

function modulesOf(chunkFile) {
  const pushed = [];
  const context = vm.createContext({ TURBOPACK: { push: (entry) => pushed.push(entry) } });
  context.globalThis = context;
  try {
    vm.runInContext(readFileSync(chunkFile, "utf8"), context, { timeout: 2000 });
  } catch {
    return []; // the runtime chunk executes code; it holds no app modules
  }
  const modules = [];
  for (const entry of pushed) {
    if (!Array.isArray(entry)) continue;
    for (let i = 1; i + 1 < entry.length; i += 2) {
      if (typeof entry[i + 1] === "function") modules.push({ id: entry[i], source: String(entry[i + 1]) });
    }
  }
  return modules;
}

export function measureClientCost() {
  const chunkDir = path.join(ROOT, ".next", "static", "chunks");
  const sources = filesUnder(path.join(ROOT, "lib", "client"), (p) => /\.(ts|tsx|js|mjs)$/.test(p) && !/\.test\./.test(p));
  if (!existsSync(chunkDir)) return { method: "no build", files: [], chunks: [], gzipBytes: 0, rawBytes: 0 };
  const chunks = filesUnder(chunkDir, (p) => p.endsWith(".js")).map((file) => ({ file, modules: modulesOf(file) }));
  const files = [];
  const matchedChunks = new Set();
  const matchedSources = new Map();
  for (const source of sources) {
    const markers = markersOf(readFileSync(source, "utf8"));
    const rel = path.relative(ROOT, source);
    if (!markers.length) {
      files.push({ file: rel, status: "no distinctive strings to match" });
      continue;
    }
    let best = null;
    for (const chunk of chunks) {
      for (const mod of chunk.modules) {
        const hits = markers.filter((m) => mod.source.includes(m)).length;
        if (hits >= Math.ceil(markers.length / 2) && (!best || hits > best.hits)) best = { chunk, mod, hits };
      }
    }
    if (!best) {
      files.push({ file: rel, status: "not found in browser chunks (server-only, type-only or unused)" });
      continue;
    }
    matchedChunks.add(best.chunk.file);
    matchedSources.set(best.mod.id, best.mod.source);
    files.push({ file: rel, moduleId: best.mod.id, rawBytes: Buffer.byteLength(best.mod.source), markers: `${best.hits}/${markers.length}` });
  }
  const all = [...matchedSources.values()].join("\n");
  return {
    files,
    rawBytes: Buffer.byteLength(all),
    gzipBytes: all ? gzipSync(all, { level: 9 }).length : 0,
    chunks: [...matchedChunks].map((file) => ({
      file: path.relative(ROOT, file),
      rawBytes: statSync(file).size,
      gzipBytes: gzipSync(readFileSync(file), { level: 9 }).length,
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(measureClientCost(), null, 2));
