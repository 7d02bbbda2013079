// What lib/client (the fetch wrapper, the re-login dialog, the SWR setup) adds
// to a page in the browser, measured from the production build.
//
// Method (plain on purpose, so anyone can check it):
// 1. Every browser chunk (.next/static/chunks/*.js) is evaluated in an empty VM
//    context that only records what it pushes onto globalThis.TURBOPACK:
//    `moduleId, factory` pairs. No factory runs. That gives every module's
//    minified source, and its imports (`e.i(123)`-style calls on the factory's
//    first parameter).
// 2. lib/client's modules are identified twice over: the client reference
//    manifests (.next/server/app/**/*_client-reference-manifest.js) name the
//    module id of each "use client" file; every other lib/client file is found
//    by its string literals (taken from the TypeScript-stripped source's syntax
//    tree, so comments and types do not count): a module holding
//    at least half of them, and at least one, is that file.
// 3. Added cost = the lib/client modules plus every module reachable from them
//    that nothing else reaches (walking the import graph from every other root
//    without entering lib/client). React, Next's runtime and anything the pages
//    use themselves are shared and not counted; SWR counts if only lib/client
//    uses it.
// 4. The added modules' sources, concatenated and gzipped (level 9), are the
//    figure: about what they add to the transfer (they are spread over chunks
//    that gzip together, so this is an estimate within a few hundred bytes).
//    Turbopack copies a module into every chunk that needs it under the same
//    id, so a module counts on every page that loads any of its chunks. It
//    also merges (scope-hoists) a file into its only importer. `npm run bench`
//    therefore measures a second build with source maps (.next/source-mapped,
//    decision 510): the maps say which bytes of a module are lib/client's,
//    which are page code (app/, and what app/ imports itself) and which came
//    from lib/shared or node_modules; a module holding lib/client and page
//    code counts its non-page bytes only. Without maps (`--no-build` on a
//    plain .next), a lib/client file merged into a page component counts with
//    that component's code (an over-count; the report says which method).
// 5. Per page (decision 508): a page downloads its entry chunks (the client
//    reference manifest's entryJSFiles for its layout and page) up front, and
//    other chunks only when code asks for them (a dynamic import() compiles to a
//    small loader module, `e.v(t => Promise.all([chunks].map(e.l)).then(() =>
//    t(id)))`, whose target is not an `e.i` import). The figure the target
//    judges is the heaviest page's up-front cost: the modules of steps 3–4
//    that sit in that page's up-front chunks. What lib/client loads on demand (the
//    "Confirm it's you" form, @simplewebauthn/browser) is reported beside it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import { SourceMapConsumer } from "source-map-js";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "..");

function filesUnder(dir, test) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p, test) : test(p) ? [p] : [];
  });
}

const TYPEOF_NAMES = new Set(["undefined", "function", "object", "string", "boolean", "number", "symbol", "bigint"]);

/** String literals of a source file as a minifier keeps them: types and comments stripped first. */
export function markersOf(file) {
  const js = ts.transpileModule(readFileSync(file, "utf8"), {
    fileName: path.basename(file), // .ts and .tsx parse differently (`<T>(x) =>` is JSX in .tsx)
    compilerOptions: { jsx: ts.JsxEmit.ReactJSX, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true },
  }).outputText;
  const found = new Set();
  const visit = (node) => {
    // Import specifiers and directives are not the module's own content.
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      // Directives and typeof names are in every bundle: they identify nothing.
      if (node.text.length >= 8 && !/^use (client|strict|server)$/.test(node.text) && !TYPEOF_NAMES.has(node.text)) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("module.js", js, ts.ScriptTarget.ES2022, true));
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
    for (let i = 0; i + 1 < entry.length; i++) {
      if (typeof entry[i] === "number" && typeof entry[i + 1] === "function") modules.push({ id: entry[i], source: String(entry[i + 1]) });
    }
  }
  return modules;
}

const LIB_CLIENT_SOURCE = /\/\[project\]\/lib\/client\/[^/]+$/;

/**
 * Project files that are page code: everything under app/, and any other
 * project file (lib/shared/…) a file under app/ imports itself. Turbopack
 * merges files that the same pages import into one module (input-rules.ts with
 * validate.ts), and such a file is the page's, not lib/client's.
 */
function pageSources() {
  const project = new Set();
  for (const file of filesUnder(path.join(ROOT, "app"), (p) => /\.(ts|tsx)$/.test(p))) {
    for (const m of readFileSync(file, "utf8").matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gm)) {
      const spec = m[1];
      const target = spec.startsWith("@/") ? spec.slice(2) : spec.startsWith(".") ? path.relative(ROOT, path.resolve(path.dirname(file), spec)) : null;
      if (target && !target.startsWith("app/") && !target.startsWith("lib/client/")) project.add(target.replace(/\.(ts|tsx|js|mjs)$/, ""));
    }
  }
  return (source) => {
    const rel = /\[project\]\/(.+?)(?: <[^>]*>)?$/.exec(source)?.[1];
    return rel !== undefined && (rel.startsWith("app/") || project.has(rel.replace(/\.(ts|tsx|js|mjs)$/, "")));
  };
}

/**
 * With a source map beside the chunk (a build with productionBrowserSourceMaps,
 * see buildWithSourceMaps): for every module in it, whether it holds
 * lib/client code, how many bytes are page code (`isPage`), and the
 * generated text of everything else (lib/client, what it merged in from
 * lib/shared and node_modules). Each mapping segment runs to the next one; a
 * segment with no source counts for none. This is what splits a module
 * Turbopack merged from a lib/client file and a page component.
 */
function attributionOf(chunkFile, mods, isPage) {
  const text = readFileSync(chunkFile, "utf8");
  // Named by the comment: Turbopack hashes the chunk's name after adding it.
  const url = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(text)?.[1];
  const mapFile = url && !url.startsWith("data:") ? path.join(path.dirname(chunkFile), url) : null;
  if (!mapFile || !existsSync(mapFile)) return null;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const segments = [];
  new SourceMapConsumer(JSON.parse(readFileSync(mapFile, "utf8"))).eachMapping(
    (m) => segments.push({ at: lineStarts[m.generatedLine - 1] + m.generatedColumn, source: m.source }),
    null,
    SourceMapConsumer.GENERATED_ORDER,
  );
  segments.sort((a, b) => a.at - b.at);
  const out = new Map();
  for (const mod of mods) {
    const start = text.indexOf(mod.source);
    if (start < 0) continue;
    const end = start + mod.source.length;
    const found = { libClient: false, pageBytes: 0, ownText: "", libFiles: new Map() };
    for (let i = 0; i < segments.length; i++) {
      const { source } = segments[i];
      const from = Math.max(segments[i].at, start);
      const to = Math.min(segments[i + 1]?.at ?? text.length, end);
      if (to <= from || !source) continue;
      if (isPage(source)) {
        found.pageBytes += to - from;
        continue;
      }
      if (LIB_CLIENT_SOURCE.test(source)) {
        found.libClient = true;
        const file = source.slice(source.indexOf("lib/client/"));
        found.libFiles.set(file, (found.libFiles.get(file) ?? 0) + (to - from));
      }
      found.ownText += text.slice(from, to);
    }
    out.set(mod.id, found);
  }
  return out;
}

/** Module ids of "use client" files under lib/client, from the client reference manifests. */
function manifestIds(dist) {
  const ids = new Map();
  for (const file of filesUnder(path.join(dist, "server", "app"), (p) => p.endsWith("_client-reference-manifest.js"))) {
    for (const m of readFileSync(file, "utf8").matchAll(/"\[project\]\/(lib\/client\/[^"]+?)(?: <[^"]*>)?":\{"id":(\d+)/g)) {
      ids.set(m[1], Number(m[2]));
    }
  }
  return ids;
}

function importsOf(source, known) {
  const param = /^(?:async\s*)?\(?\s*([A-Za-z_$][\w$]*)/.exec(source)?.[1];
  if (!param) return [];
  const escaped = param.replace(/\$/g, "\\$");
  const ids = new Set();
  for (const m of source.matchAll(new RegExp(`(?<![\\w$])${escaped}\\.[A-Za-z]\\((\\d+)\\)`, "g"))) {
    const id = Number(m[1]);
    if (known.has(id)) ids.add(id);
  }
  return [...ids];
}

function reach(starts, graph, blocked = new Set()) {
  const seen = new Set();
  const stack = [...starts];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id) || blocked.has(id)) continue;
    seen.add(id);
    stack.push(...(graph.get(id) ?? []));
  }
  return seen;
}

/**
 * `dir`: the build to read, relative to the repository. With source maps
 * beside its chunks (`.next/source-mapped`, see buildWithSourceMaps), modules
 * Turbopack merged from lib/client and page code are split exactly; without,
 * such a module counts whole (an over-count).
 */
export function measureClientCost({ dir = ".next" } = {}) {
  const dist = path.join(ROOT, dir);
  const chunkDir = path.join(dist, "static", "chunks");
  const empty = { found: false, files: [], modules: [], libClientModules: 0, gzipBytes: 0, rawBytes: 0 };
  if (!existsSync(chunkDir)) return { ...empty, method: `no build in ${dir}` };

  // Turbopack copies a module into every chunk group that needs it, under the
  // same id: a module belongs to all the chunks that carry it.
  const modules = new Map();
  const isPage = pageSources();
  let mapped = 0;
  let chunkFiles = 0;
  for (const file of filesUnder(chunkDir, (p) => p.endsWith(".js"))) {
    const chunk = path.relative(dist, file);
    const found = modulesOf(file);
    const attribution = found.length ? attributionOf(file, found, isPage) : null;
    if (found.length) chunkFiles++;
    if (attribution) mapped++;
    for (const mod of found) {
      const known = modules.get(mod.id);
      if (known) known.chunks.add(chunk);
      else modules.set(mod.id, { ...mod, chunk, chunks: new Set([chunk]), attribution: attribution?.get(mod.id) });
    }
  }
  // Exact only when every chunk holding modules had its map.
  const exact = chunkFiles > 0 && mapped === chunkFiles;
  const graph = new Map([...modules.values()].map((m) => [m.id, importsOf(m.source, modules)]));

  const byManifest = manifestIds(dist);
  const sources = filesUnder(path.join(ROOT, "lib", "client"), (p) => /\.(ts|tsx|js|mjs)$/.test(p) && !/(\.test\.|\.d\.ts$|test-)/.test(path.basename(p)));
  const files = [];
  const lib = new Set();
  for (const source of sources) {
    const rel = path.relative(ROOT, source);
    const fromManifest = byManifest.get(rel);
    if (fromManifest !== undefined && modules.has(fromManifest)) {
      lib.add(fromManifest);
      files.push({ file: rel, moduleId: fromManifest, rawBytes: Buffer.byteLength(modules.get(fromManifest).source), by: "manifest" });
      continue;
    }
    const markers = markersOf(source);
    if (!markers.length) {
      files.push({ file: rel, status: "no string literals to identify it by (counted only if nothing else uses it)" });
      continue;
    }
    // A file can also be merged into more than one module (each importer's
    // scope-hoisted copy): every module with the best score is this file.
    let best = 0;
    let copies = [];
    for (const mod of modules.values()) {
      const hits = markers.filter((m) => mod.source.includes(m)).length;
      if (hits < Math.ceil(markers.length / 2) || hits < best) continue;
      if (hits > best) copies = [];
      best = hits;
      copies.push(mod);
    }
    if (!copies.length) {
      files.push({ file: rel, status: "not in any browser chunk (server-only, type-only or unused)" });
      continue;
    }
    for (const mod of copies) lib.add(mod.id);
    files.push({ file: rel, moduleId: copies.map((m) => m.id).join("+"), rawBytes: Buffer.byteLength(copies[0].source), by: `strings ${best}/${markers.length}` });
  }

  // With source maps, the maps say which modules hold lib/client code. One
  // that also holds page code (a lib/client file merged into a component:
  // "mixed") counts only its other bytes, and stays page code for the walk
  // below (its imports are the page's). What Turbopack merged into lib/client
  // code from lib/shared or node_modules had no other importer: it counts.
  const mixed = new Set();
  if (exact) {
    lib.clear();
    const where = new Map();
    for (const m of modules.values()) {
      if (!m.attribution?.libClient) continue;
      if (m.attribution.pageBytes > 0) mixed.add(m.id);
      else lib.add(m.id);
      for (const [file, bytes] of m.attribution.libFiles) {
        const seen = where.get(file) ?? { modules: [], rawBytes: 0 };
        seen.modules.push(m.id);
        seen.rawBytes += bytes;
        where.set(file, seen);
      }
    }
    // Which modules each file ended up in, by the maps (a file copied into
    // several chunks is one module; merged into several importers, several).
    files.length = 0;
    for (const source of sources) {
      const file = path.relative(ROOT, source);
      const seen = where.get(file);
      files.push(seen ? { file, moduleId: seen.modules.join("+"), rawBytes: seen.rawBytes, by: "source map" } : { file, status: "not in any browser chunk (server-only, type-only or unused)" });
    }
  }
  const textOf = (id) => (mixed.has(id) ? modules.get(id).attribution.ownText : modules.get(id).source);

  const imported = new Set([...graph.values()].flat());
  // A chunk loaded on demand is not a root of its own: it is shared only if
  // something other than lib/client asks for it (step 5).
  const lazy = new Set(lazyTargetsOf(modules.keys(), modules));
  const roots = [...modules.keys()].filter((id) => !imported.has(id) && !lib.has(id) && !lazy.has(id));
  const eagerShared = reach(roots, graph, lib);
  const shared = reach([...eagerShared, ...lazyTargetsOf(eagerShared, modules)], graph, lib);
  const added = [...new Set([...[...reach(lib, graph)].filter((id) => !shared.has(id)), ...mixed])];
  const all = added.map(textOf).join("\n");
  const gzip = (ids) => {
    const text = ids.map(textOf).join("\n");
    return { rawBytes: Buffer.byteLength(text), gzipBytes: text ? gzipSync(text, { level: 9 }).length : 0 };
  };

  // Step 5: what each page downloads before it runs, and what comes later.
  const addedSet = new Set(added);
  const inAny = (m, chunks) => [...m.chunks].some((chunk) => chunks.has(chunk));
  const pages = pageEntries(dist).map(({ page, chunks }) => {
    // lib/client's share (steps 3–4, over the whole build) that this page downloads up front.
    const ids = [...modules.values()].filter((m) => addedSet.has(m.id) && inAny(m, chunks)).map((m) => m.id);
    return { page, modules: ids.length, ids, ...gzip(ids) };
  });
  const heaviest = pages.reduce((a, b) => (b.gzipBytes > (a?.gzipBytes ?? -1) ? b : a), null);
  const eagerChunks = new Set(pageEntries(dist).flatMap(({ chunks }) => [...chunks]));
  const onDemand = [...reach([...lib, ...lazyTargetsOf(reach(lib, graph), modules)], graph)].filter(
    (id) => !inAny(modules.get(id), eagerChunks) && !shared.has(id),
  );

  return {
    found: lib.size + mixed.size > 0,
    dir,
    method: exact
      ? "source maps: merged modules split exactly"
      : "no source maps: a lib/client file merged into page code counts with that code (an over-count)",
    files,
    libClientModules: lib.size + mixed.size,
    modules: added.map((id) => ({ id, rawBytes: Buffer.byteLength(textOf(id)), chunks: [...modules.get(id).chunks], libClient: lib.has(id) || mixed.has(id), mixed: mixed.has(id) })),
    // The judged figure: the heaviest page's up-front cost.
    page: heaviest?.page ?? null,
    gzipBytes: heaviest ? heaviest.gzipBytes : 0,
    rawBytes: heaviest ? heaviest.rawBytes : 0,
    pages: pages.sort((a, b) => b.gzipBytes - a.gzipBytes),
    // Everything lib/client ships anywhere, up front or not (the figure before decision 508).
    all: { rawBytes: Buffer.byteLength(all), gzipBytes: all ? gzipSync(all, { level: 9 }).length : 0 },
    onDemand: { modules: onDemand.length, ...gzip(onDemand) },
  };
}

/** Each page's up-front chunks: Next's root main files, and its own and its layouts' entryJSFiles (client reference manifests). */
function pageEntries(dist) {
  const out = [];
  // Next's own bootstrap chunks load on every page before any entry.
  const buildManifest = path.join(dist, "build-manifest.json");
  const rootMain = existsSync(buildManifest) ? JSON.parse(readFileSync(buildManifest, "utf8")).rootMainFiles ?? [] : [];
  for (const file of filesUnder(path.join(dist, "server", "app"), (p) => p.endsWith("page_client-reference-manifest.js"))) {
    const context = vm.createContext({});
    context.self = context;
    context.globalThis = context;
    vm.runInContext(readFileSync(file, "utf8"), context);
    for (const [page, manifest] of Object.entries(context.__RSC_MANIFEST ?? {})) {
      const entries = manifest.entryJSFiles ?? {};
      // The page's own entry plus every layout above it; error boundaries load only on an error.
      const keys = Object.keys(entries).filter((key) => /\/(page|layout)$/.test(key));
      const chunks = new Set([...rootMain, ...keys.flatMap((key) => entries[key])].map((chunk) => path.normalize(chunk)));
      out.push({ page, chunks });
    }
  }
  return out;
}

/** Targets of the dynamic-import loader modules among `ids` (see step 5). */
function lazyTargetsOf(ids, modules) {
  const targets = [];
  for (const id of ids) {
    const source = modules.get(id)?.source ?? "";
    const loader = /\.v\(\s*\(?([A-Za-z_$][\w$]*)\)?\s*=>\s*Promise\.all\(/.exec(source);
    if (!loader) continue;
    for (const m of source.matchAll(/\.then\(\s*\(\)\s*=>\s*[A-Za-z_$][\w$]*\((\d+)\)\s*\)/g)) {
      if (modules.has(Number(m[1]))) targets.push(Number(m[1]));
    }
  }
  return targets;
}

export const SOURCE_MAPPED_DIR = ".next/source-mapped";

/**
 * A second production build, into .next/source-mapped, with browser source
 * maps (next.config.js, NEXT_BENCH_SOURCE_MAPS). The app's own build in .next
 * ships none. Same code: the minifier may pick other short names for locals,
 * which changes no module's length. Takes as long as `next build` (~30 s here).
 */
export function buildWithSourceMaps({ log = () => {} } = {}) {
  log(`client cost: building a copy with source maps into ${SOURCE_MAPPED_DIR} (next build)…`);
  const built = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_BENCH_SOURCE_MAPS: "1", NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`next build with source maps failed:\n${built.stdout}\n${built.stderr}`);
}

// `node bench/client-cost.mjs`: the JSON report from a source-mapped build
// (built first); `--no-build` reads whatever .next holds.
if (import.meta.url === `file://${process.argv[1]}`) {
  const reuse = process.argv.includes("--no-build");
  if (!reuse) buildWithSourceMaps({ log: (line) => console.error(line) });
  console.log(JSON.stringify(measureClientCost({ dir: reuse ? ".next" : SOURCE_MAPPED_DIR }), null, 2));
}
