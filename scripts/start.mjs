// `npm start`: build if needed, apply migrations, serve. No configuration needed.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { clusterSize, runCluster } from "./cluster.mjs";
import { buildNotice, readyNotice } from "./start-notice.mjs";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
const dev = process.argv.includes("--dev");
// Test harnesses build once up front and pass --no-build, so servers started
// in parallel never race to rebuild.
const skipBuild = process.argv.includes("--no-build");
const root = process.cwd();
const log = (line) => console.log(`[start] ${line}`);
// WEB_CONCURRENCY=N or --cluster: N server processes on one port (scripts/cluster.mjs).
// Read before the build so a bad value fails at once.
const workers = dev ? 1 : clusterSize();

/** Newest modification time under the paths a build depends on. */
function newestSource(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      if (p.endsWith(`${path.sep}generated`)) return;
      for (const entry of readdirSync(p)) visit(path.join(p, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  paths.forEach((p) => visit(path.join(root, p)));
  return newest;
}

function run(args) {
  execFileSync(process.execPath, args, { stdio: "inherit", env: process.env });
}

if (!existsSync(path.join(root, "lib/generated/sqlite/client.ts"))) {
  log("generating the Prisma clients");
  run(["scripts/generate.mjs"]);
}

const buildId = path.join(root, ".next/BUILD_ID");
const sources = ["app", "lib", "public", "proxy.ts", "next.config.js", "package-lock.json", "tsconfig.json"];
const built = existsSync(buildId);
const notice = dev || skipBuild ? null : buildNotice({ built, changed: built && newestSource(sources) > statSync(buildId).mtimeMs });
if (notice) {
  log(notice);
  run(["node_modules/next/dist/bin/next", "build"]);
}

const { migrate } = await import("./migrate.mjs");
try {
  await migrate(process.env.DATABASE_URL ?? "file:./data/app.db", { log });
} catch (error) {
  console.error(`[start] migrations failed: ${error.code ? `[${error.code}] ` : ""}${error.message}`);
  process.exit(1);
}

if (!dev) process.env.NODE_ENV = "production";
if (workers > 1) {
  runCluster({ workers, log }); // migrations ran once, above; the workers only serve
} else {
  const { serve } = await import("./server.mjs");
  const port = Number(process.env.PORT ?? 3000);
  await serve({ port, dev, log });
  log(readyNotice(port));
}
