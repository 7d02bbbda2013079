// A request held in flight for as long as a test likes, however loaded the
// machine, to watch what a shutdown does to it.
import http from "node:http";

/**
 * With `Expect: 100-continue` the client sends the body only when told to,
 * and the server's "100 Continue" proves it has parsed the headers and
 * started handling the request. Resolves once that has happened.
 */
export async function loginInFlight(url: string, email: string, password: string) {
  const body = JSON.stringify({ email, password });
  const req = http.request(`${url}/api/auth/login`, {
    method: "POST",
    agent: false,
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue" },
  });
  const response = new Promise<{ status: number; setCookies: string[] }>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, setCookies: res.headers["set-cookie"] ?? [] }));
    });
    req.on("error", reject);
  });
  response.catch(() => {}); // awaited by the caller, if at all; never an unhandled rejection
  req.flushHeaders();
  await new Promise((resolve) => req.once("continue", resolve));
  return { finish: () => req.end(body), abort: () => req.destroy(), response };
}
