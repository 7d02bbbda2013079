// A TLS-terminating reverse proxy for tests: https in front of the real
// server, as in production (X-Forwarded-Proto: https, Host kept), with a
// self-signed certificate made at test time by openssl. A second host name on
// the same port can be answered by the test itself: the "sibling subdomain"
// of the cookie-tossing tests (cookies ignore ports, so one port serves both).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { freePort } from "./harness";

export interface TlsProxy {
  port: number;
  /** https://<host>:<port> */
  origin(host: string): string;
  close(): Promise<void>;
}

type Sibling = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export function selfSignedCertificate(hosts: string[]): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "fa-tls-"));
  try {
    const key = path.join(dir, "key.pem");
    const cert = path.join(dir, "cert.pem");
    const san = hosts.map((h) => `DNS:${h}`).join(",");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", `/CN=${hosts[0]}`, "-addext", `subjectAltName=${san}`], {
      stdio: "ignore",
    });
    return { key: readFileSync(key, "utf8"), cert: readFileSync(cert, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Listens on `port` (pick it with freePort() first when APP_URL must name it)
 * and forwards every request whose Host is not a sibling to `target`.
 */
export async function startTlsProxy(options: { target: string; hosts: string[]; port?: number; siblings?: Record<string, Sibling> }): Promise<TlsProxy> {
  const port = options.port ?? (await freePort());
  const target = new URL(options.target);
  const server = https.createServer(selfSignedCertificate(options.hosts), (req, res) => {
    const host = (req.headers.host ?? "").split(":")[0];
    const sibling = options.siblings?.[host];
    if (sibling) return sibling(req, res);
    const upstream = http.request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, "x-forwarded-proto": "https" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    origin: (host) => `https://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TlsResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  setCookies: string[];
  body: string;
}

/**
 * One request over https to the proxy, with headers exactly as given (a raw
 * Cookie header: duplicates and order are the point of these tests).
 */
export function httpsRequest(origin: string, method: string, pathname: string, init: { headers?: Record<string, string>; json?: unknown } = {}): Promise<TlsResponse> {
  const url = new URL(origin);
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  const headers: Record<string, string> = { host: url.host, ...init.headers };
  if (body !== undefined) Object.assign(headers, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: "127.0.0.1", port: url.port, servername: url.hostname, method, path: pathname, headers, rejectUnauthorized: false, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          const setCookie = res.headers["set-cookie"] ?? [];
          resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: setCookie, body: text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}
