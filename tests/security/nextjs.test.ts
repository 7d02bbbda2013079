// Item 5 — Next.js specifics. Headers that Next uses internally (the
// CVE-2025-29927 middleware bypass, data and RSC requests, prefetches, the
// router's own invoke headers) must never get a page or an API past its own
// session check, and nothing signed-in may ever be cacheable by a shared cache.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Client, registered, startServer, type TestServer } from "../http/harness";
import { copyOf } from "./helpers";

let server: TestServer;
let user: Awaited<ReturnType<typeof registered>>;
let revoked: Client;
let secrets: string[];
before(async () => {
  server = await startServer();
  user = await registered(server.url);
  const name = `Zebulon ${randomBytes(4).toString("hex")}`;
  assert.equal((await user.client.patch("/api/me", { name })).status, 200);
  // A copy of a session that has since signed out: a genuine token, revoked.
  const gone = await registered(server.url);
  revoked = copyOf(gone.client);
  assert.equal((await gone.client.post("/api/auth/logout")).status, 204);
  secrets = [user.email, name, user.user.id, gone.email, gone.user.id];
});
after(() => server?.stop());

// Next itself answers a router state it cannot parse with a bare 500 (no
// detail, no stack); docs/security.md lists it under what remains.
const MALFORMED = "malformed Next-Router-State-Tree";
const stateTree = encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}] }]));
const INTERNAL: Record<string, Record<string, string>> = {
  "x-middleware-subrequest (CVE-2025-29927)": { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
  "x-middleware-subrequest naming proxy": { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
  "x-middleware-subrequest with src/": { "x-middleware-subrequest": "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware" },
  "x-nextjs-data": { "x-nextjs-data": "1" },
  "RSC: 1": { RSC: "1" },
  "RSC prefetch": { RSC: "1", "Next-Router-Prefetch": "1" },
  "RSC segment prefetch": { RSC: "1", "Next-Router-Prefetch": "1", "Next-Router-Segment-Prefetch": "/_tree" },
  "Next-Router-State-Tree": { RSC: "1", "Next-Router-State-Tree": stateTree },
  [MALFORMED]: { RSC: "1", "Next-Router-State-Tree": "%5B%22garbage" },
  "x-invoke-path and friends": { "x-invoke-path": "/api/health", "x-invoke-query": "%7B%7D", "x-invoke-output": "/api/health", "x-middleware-invoke": "1" },
  "x-matched-path / x-now-route-matches": { "x-matched-path": "/api/health", "x-now-route-matches": "1" },
  "x-middleware-rewrite / x-middleware-next": { "x-middleware-rewrite": "/api/health", "x-middleware-next": "1" },
  "Next-Action (server action id)": { "Next-Action": "0".repeat(40) },
};
const PAGES = ["/", "/account"];
const NEXT_500 = "Internal Server Error";
const APIS = ["/api/me", "/api/sessions"];

/** GET, following only Next's own `?_rsc=` cache-busting redirect. */
async function get(client: Client, path: string, headers: Record<string, string>) {
  let res = await client.get(path, { headers });
  const location = res.headers.get("location") ?? "";
  if (res.status === 307 && location.startsWith(`${path}?_rsc`)) res = await client.get(location, { headers });
  return res;
}

function assertNoSecrets(res: { data: unknown; headers: Headers }, context: string) {
  const text = (typeof res.data === "string" ? res.data : JSON.stringify(res.data)) + JSON.stringify([...res.headers]);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${context}: the response contains ${secret}`);
}

describe("internal headers never get past a session check", () => {
  for (const [label, headers] of Object.entries(INTERNAL)) {
    test(label, async () => {
      for (const [who, client] of [["no cookie", new Client(server.url)], ["revoked session", revoked]] as const) {
        for (const path of APIS) {
          const res = await get(client, path, headers);
          assert.equal(res.status, 401, `${who}, GET ${path} → ${res.status}`);
          assertNoSecrets(res, `${who}, GET ${path}`);
        }
        for (const path of PAGES) {
          const res = await get(client, path, headers);
          if (label === MALFORMED && res.status === 500) assert.equal(res.data, NEXT_500, "a bare 500, nothing more");
          else assert.ok(res.status < 500, `${who}, GET ${path} → ${res.status}`);
          if (res.status === 307) assert.match(res.headers.get("location") ?? "", /^\/login\?next=/, `${who}, GET ${path}`);
          assertNoSecrets(res, `${who}, GET ${path}`);
        }
      }
    });
  }

  test("control: the signed-in user's page does contain the data looked for above", async () => {
    const res = await user.client.get("/");
    assert.equal(res.status, 200);
    assert.ok(String(res.data).includes(user.email));
  });
});

describe("nothing signed-in is cacheable", () => {
  const assertPrivate = (res: { status: number; headers: Headers }, context: string) => {
    const cacheControl = res.headers.get("cache-control") ?? "";
    // no-store, not merely private: a browser may keep a private page and show it after sign-out.
    assert.match(cacheControl, /\bno-store\b/, `${context}: Cache-Control "${cacheControl}"`);
    assert.doesNotMatch(cacheControl, /public|s-maxage|stale-while-revalidate/, `${context}: Cache-Control "${cacheControl}"`);
  };

  test("pages and APIs, as HTML, RSC payloads and prefetches", async () => {
    for (const [label, headers] of Object.entries({ plain: {}, ...INTERNAL })) {
      for (const path of [...PAGES, ...APIS]) {
        const res = await get(user.client, path, headers);
        if (res.status === 404) continue; // a page not built yet has nothing to cache
        if (label === MALFORMED && res.status === 500) continue; // nothing to cache either
        assertPrivate(res, `${label}, GET ${path} → ${res.status}`);
      }
    }
  });

  test("responses that set or clear session cookies", async () => {
    const { client, email, password } = await registered(server.url);
    const fresh = new Client(server.url);
    assertPrivate(await fresh.post("/api/auth/login", { email, password }), "login");
    assertPrivate(await client.post("/api/auth/refresh"), "refresh");
    assertPrivate(await client.post("/api/auth/fresh-login", { password }), "fresh-login");
    assertPrivate(await client.post("/api/auth/logout"), "logout");
    assertPrivate(await new Client(server.url).get("/api/auth/resume?next=%2F"), "resume");
  });
});
