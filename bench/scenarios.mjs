// The measured workloads. Every request is what a browser would send: the
// cookies the route needs, and on unsafe methods Origin + X-CSRF-Token.
import autocannon from "autocannon";
import { parseSetCookie } from "cookie";

export const PASSWORD = "correct horse battery staple";

/** Cookies by name from a response's Set-Cookie lines (fetch Headers or autocannon's header object). */
function cookiesFrom(lines) {
  const out = {};
  for (const line of [lines ?? []].flat()) {
    const { name, value } = parseSetCookie(line);
    out[name] = value;
  }
  return out;
}

function setCookieOf(headers) {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === "set-cookie");
  return key ? headers[key] : [];
}

async function post(url, path, body) {
  for (;;) {
    const res = await fetch(url + path, {
      method: "POST",
      headers: { "content-type": "application/json", origin: url },
      body: JSON.stringify(body),
    });
    // The bcrypt pool sheds load with 503 + Retry-After when its queue is full:
    // setting up sessions waits its turn, as a client should.
    if (res.status === 503 && res.headers.has("retry-after")) {
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Math.min(5, Number(res.headers.get("retry-after")) || 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return cookiesFrom(res.headers.getSetCookie());
  }
}

/** Runs `task(i)` for i < count, at most `width` at a time. */
async function pooled(count, width, task) {
  const out = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

/** One user, and `count` separate signed-in sessions of it (each login is its own refresh chain). */
export async function signIn(url, count) {
  const email = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const first = await post(url, "/api/auth/register", { email, password: PASSWORD, name: "Bench" });
  const more = await pooled(count - 1, 2, () => post(url, "/api/auth/login", { email, password: PASSWORD }));
  return { email, sessions: [first, ...more] };
}

/**
 * `users` × `perUser` signed-in sessions, for the realistic row: meant for a
 * seeding server with bcrypt at cost 4 (the hash keeps its cost, so these
 * accounts stay cheap to sign in to on any server sharing the database).
 */
export async function signInMany(url, { users, perUser }) {
  const tag = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const emails = Array.from({ length: users }, (_, i) => `many-${tag}-${i}@example.com`);
  const firsts = await pooled(users, 4, (i) => post(url, "/api/auth/register", { email: emails[i], password: PASSWORD, name: `User ${i}` }));
  const more = await pooled(users * (perUser - 1), 4, (i) => post(url, "/api/auth/login", { email: emails[i % users], password: PASSWORD }));
  return [...firsts, ...more];
}

/** Runs autocannon; `stop()` on the returned tracker ends it early. */
function cannon(options) {
  return autocannon({ connections: 10, pipelining: 1, timeout: 30, ...options });
}

export function health(url, o) {
  return cannon({ ...o, url: `${url}/api/health` });
}

export function me(url, session, o) {
  return cannon({ ...o, url: `${url}/api/me`, headers: { cookie: `access_token=${session.access_token}` } });
}

/**
 * GET /api/me with many sessions in rotation: every request presents the next
 * session's access token, so the verified-token cache holds 1,000 entries and
 * each request reads a different session row, as real traffic would.
 */
export function meRotating(url, sessions, o) {
  let next = 0;
  return cannon({
    ...o,
    url: `${url}/api/me`,
    requests: [
      {
        method: "GET",
        path: "/api/me",
        setupRequest: (request) => ({
          ...request,
          headers: { cookie: `access_token=${sessions[next++ % sessions.length].access_token}` },
        }),
      },
    ],
  });
}

/** A server-rendered page, as a full page load (signed in when `session` is given). */
export function page(url, path, session, o) {
  const headers = { accept: "text/html", "sec-fetch-mode": "navigate", "sec-fetch-dest": "document" };
  if (session) headers.cookie = `access_token=${session.access_token}; csrf_token=${session.csrf_token}`;
  return cannon({ ...o, url: `${url}${path}`, headers });
}

export function login(url, email, o) {
  return cannon({
    ...o,
    url: `${url}/api/auth/login`,
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
}

/**
 * Chained refresh: each connection owns one session and always presents the
 * refresh token from ITS previous response, so every call is a real rotation
 * (the compare-and-set UPDATE), never a grace-window re-issue. A chain breaks
 * on any non-200, and on a 200 that does not carry a NEW refresh token (a
 * re-issue would hide a lost token until the grace ran out). `stats` (a Map
 * keyed by session) accumulates over calls, so chains continue across rounds.
 */
export function chainedRefresh(url, sessions, o, stats = new Map()) {
  const pool = [...sessions];
  return cannon({
    ...o,
    connections: sessions.length,
    url: `${url}/api/auth/refresh`,
    setupClient(client) {
      const cookies = pool.pop();
      if (!stats.has(cookies)) stats.set(cookies, { broken: 0, rotations: 0 });
      const chain = stats.get(cookies);
      let sent;
      client.setRequests([
        {
          method: "POST",
          path: "/api/auth/refresh",
          setupRequest: (request) => {
            sent = cookies.refresh_token;
            return {
              ...request,
              headers: {
                origin: url,
                cookie: `refresh_token=${sent}; csrf_token=${cookies.csrf_token}`,
                "x-csrf-token": cookies.csrf_token,
              },
            };
          },
          onResponse: (status, _body, _context, headers) => {
            const next = cookiesFrom(setCookieOf(headers));
            if (status !== 200 || !next.refresh_token || next.refresh_token === sent) chain.broken++;
            else chain.rotations++;
            if (status === 200) Object.assign(cookies, next);
          },
        },
      ]);
    },
  });
}
