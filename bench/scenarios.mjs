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
  const res = await fetch(url + path, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return cookiesFrom(res.headers.getSetCookie());
}

/** One user, and `count` separate signed-in sessions of it (each login is its own refresh chain). */
export async function signIn(url, count) {
  const email = `bench-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const first = await post(url, "/api/auth/register", { email, password: PASSWORD, name: "Bench" });
  const more = await Promise.all(Array.from({ length: count - 1 }, () => post(url, "/api/auth/login", { email, password: PASSWORD })));
  return { email, sessions: [first, ...more] };
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
