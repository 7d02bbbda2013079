// docs/adopting.md, followed mechanically: a fresh minimal Next.js app in a
// temporary folder gets exactly the files the guide lists and the code it
// shows, runs the guide's commands, builds, starts, and passes a short journey
// in a real Chromium (register, a silent refresh after expiry, "Confirm it's
// you" before deleting). If the guide and the code drift apart, this fails.
import assert from "node:assert/strict";
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { chromium, type Browser } from "@playwright/test";
import { freePort } from "../http/harness";
import { readGuide } from "./guide";

const ROOT = path.resolve(import.meta.dirname, "../..");
const guide = readGuide(path.join(ROOT, "docs/adopting.md"));
const ACCESS_TTL_SECONDS = 3;

// A glob over repository paths: `*` within a name, `**` across folders, and
// `**` followed by a slash for zero or more folders (so lib/**/x.ts matches lib/x.ts).
function globToRegExp(glob: string): RegExp {
  const literal = (part: string) => part.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
  const pattern = glob
    .split("**/")
    .map((part) => part.split("**").map(literal).join(".*"))
    .join("(?:.*/)?");
  return new RegExp(`^${pattern}$`);
}

function filesToCopy(): string[] {
  const tracked = execFileSync("git", ["ls-files"], { cwd: ROOT, encoding: "utf8" }).split("\n").filter(Boolean);
  const include = guide.copy.filter((g) => !g.startsWith("!")).map(globToRegExp);
  const exclude = guide.copy.filter((g) => g.startsWith("!")).map((g) => globToRegExp(g.slice(1)));
  return tracked.filter((file) => include.some((re) => re.test(file)) && !exclude.some((re) => re.test(file)));
}

/** The bare package names a set of source files imports. */
function importedPackages(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const file of files.filter((f) => /\.(m?[jt]sx?)$/.test(f))) {
    const source = readFileSync(path.join(ROOT, file), "utf8");
    for (const [, spec] of source.matchAll(/(?:from\s+|import\s*\(?\s*|require\(\s*)["']([^"'.][^"']*)["']/g)) {
      if (spec.startsWith("node:") || spec.startsWith("@/")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(name)) names.add(name);
    }
  }
  return names;
}

let app: string;
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let baseURL: string;
let copied: string[];

before(async () => {
  app = mkdtempSync(path.join(tmpdir(), "fresh-auth-adopter-"));
  // What create-next-app makes, reduced to what matters here.
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "adopter", private: true, scripts: { build: "next build", start: "next start" } }, null, 2));
  writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({
    compilerOptions: { target: "ES2022", lib: ["dom", "dom.iterable", "esnext"], strict: true, noEmit: true, esModuleInterop: true, module: "esnext", moduleResolution: "bundler", resolveJsonModule: true, isolatedModules: true, jsx: "react-jsx", skipLibCheck: true, allowImportingTsExtensions: true, incremental: true, plugins: [{ name: "next" }], paths: { "@/*": ["./*"] } },
    include: ["next-env.d.ts", "**/*.ts", "**/*.tsx", ".next/types/**/*.ts"],
    exclude: ["node_modules"],
  }, null, 2));
  mkdirSync(path.join(app, "app"));
  writeFileSync(path.join(app, "app/layout.tsx"), 'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (<html lang="en"><body>{children}</body></html>);\n}\n');
  writeFileSync(path.join(app, "app/page.tsx"), "export default function Home() {\n  return <main>My app</main>;\n}\n");
  // The dependencies the guide names are this repository's, already installed:
  // hard links make a real node_modules in the app (a symlink would point
  // outside its root, which Turbopack refuses).
  try {
    execFileSync("cp", ["-al", path.join(ROOT, "node_modules"), path.join(app, "node_modules")]);
  } catch {
    cpSync(path.join(ROOT, "node_modules"), path.join(app, "node_modules"), { recursive: true });
  }

  copied = filesToCopy();
  for (const file of copied) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    const target = path.join(app, file);
    if (existsSync(target)) rmSync(target);
    linkSync(path.join(ROOT, file), target);
  }
  for (const [file, content] of guide.files) {
    mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
    writeFileSync(path.join(app, file), content);
  }

  const port = await freePort();
  baseURL = `http://localhost:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: "file:./data/app.db",
    AUTH_SECRET: "adopter-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    AUTH_ACCESS_TTL: `${ACCESS_TTL_SECONDS}s`,
    AUTH_BCRYPT_COST: "4",
    PORT: String(port),
  };
  for (const command of guide.run) {
    try {
      execFileSync("bash", ["-c", command], { cwd: app, env, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000, encoding: "utf8" });
    } catch (error) {
      const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
      throw new Error(`the guide's step \`${command}\` failed in ${app}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
    }
  }
  server = spawn("bash", ["-c", "exec node node_modules/next/dist/bin/next start"], { cwd: app, env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 120; i++) {
    const ok = await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const executablePath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
});

after(async () => {
  await browser?.close();
  server?.kill();
  // Kept on failure for a look (the error names the folder); removed otherwise.
  if (app && !process.exitCode) rmSync(app, { recursive: true, force: true });
});

test("the guide names every package the copied code imports, at this repository's versions", () => {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const pinned: Record<string, string> = { ...devDependencies, ...dependencies };
  const named = new Map<string, string>();
  for (const line of guide.installs) {
    for (const spec of line.split(/\s+/).filter((word) => /^@?[\w.-]+(\/[\w.-]+)?@\d/.test(word))) {
      const at = spec.lastIndexOf("@");
      named.set(spec.slice(0, at), spec.slice(at + 1));
    }
  }
  for (const [name, version] of named) assert.equal(version, pinned[name], `${name}@${version} in the guide, ${pinned[name]} in package.json`);
  const builtIn = new Set(["next", "react", "react-dom", "server-only"]);
  const missing = [...importedPackages(copied)].filter((name) => !builtIn.has(name) && !named.has(name));
  assert.deepEqual(missing, [], "packages the copied files import but the guide does not install");
});

test("an adopted app: register, a silent refresh after expiry, and Confirm it's you before deleting", async () => {
  const page = await browser!.newPage({ baseURL });
  const refreshes: string[] = [];
  page.on("request", (request) => request.url().endsWith("/api/auth/refresh") && refreshes.push(request.method()));

  await page.goto("/");
  await page.waitForURL(/\/login/);
  await page.getByRole("link", { name: "Create account" }).click();
  const email = `adopter-${Date.now()}@example.com`;
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByText(`Signed in as ${email}`).waitFor();

  await page.waitForTimeout(ACCESS_TTL_SECONDS * 1000 + 1000);
  await page.getByRole("button", { name: "Check my session" }).click();
  await page.getByText("Session is not fresh").waitFor();
  assert.deepEqual(refreshes, ["POST"], "one silent refresh");

  await page.getByRole("button", { name: "Delete my account" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.waitFor();
  await dialog.getByLabel("Password").fill("correct horse battery staple");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await page.getByText("Your account was deleted.").waitFor();
  const again = await page.request.post("/api/auth/login", { data: { email, password: "correct horse battery staple" } });
  assert.equal(again.status(), 401);
});
