// A TCP proxy between an app server and PostgreSQL, run inside the test
// process, so a test can take the database away the way a network does:
//
//   up()    forward everything (buffered bytes flow again);
//   stall() accept and hold: connections stay open, no byte goes through —
//           a hung or overloaded server, or a dropped route;
//   holdReplies() forward requests, keep the answers: the database does the
//           work but the app never hears back (a crash or a cut between the
//           two);
//   down()  reset every connection and refuse new ones — a crashed server.
import net from "node:net";

type Mode = "up" | "stall" | "holdReplies" | "down";

interface Pair {
  client: net.Socket;
  server: net.Socket | null;
  /** Bytes each side sent while stalled, delivered on up(). */
  toServer: Buffer[];
  toClient: Buffer[];
  /** The app closed its side while stalled, with bytes still on their way. */
  clientGone?: boolean;
}

export class TcpProxy {
  private mode: Mode = "up";
  private readonly pairs = new Set<Pair>();

  private constructor(
    private readonly listener: net.Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const listener = net.createServer();
    const proxy = new TcpProxy(listener, target);
    listener.on("connection", (socket) => proxy.accept(socket));
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  static rewrite(url: string, port: number): string {
    const parsed = new URL(url);
    parsed.hostname = "127.0.0.1";
    parsed.port = String(port);
    return parsed.toString();
  }

  get port(): number {
    return (this.listener.address() as net.AddressInfo).port;
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  up(): void {
    this.mode = "up";
    for (const pair of this.pairs) this.flush(pair);
  }

  stall(): void {
    this.mode = "stall";
  }

  holdReplies(): void {
    this.mode = "holdReplies";
  }

  down(): void {
    this.mode = "down";
    for (const pair of [...this.pairs]) this.drop(pair);
  }

  async close(): Promise<void> {
    this.down();
    await new Promise((resolve) => this.listener.close(resolve));
  }

  private accept(client: net.Socket): void {
    if (this.mode === "down") {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, server: null, toServer: [], toClient: [] };
    this.pairs.add(pair);
    client.on("data", (chunk) => {
      if (this.mode !== "stall" && pair.server) pair.server.write(chunk);
      else pair.toServer.push(chunk);
    });
    client.on("error", () => {});
    client.on("close", () => {
      // As on a real network, what the app sent before giving up is already
      // on its way: the database still gets it when the route comes back
      // (then sees the connection end), and may act on it after the app has
      // stopped listening.
      if (this.mode === "stall" && pair.server && pair.toServer.length) pair.clientGone = true;
      else this.drop(pair);
    });
    if (this.mode !== "stall") this.flush(pair);
  }

  private flush(pair: Pair): void {
    if (!pair.server) {
      const server = net.connect(this.target);
      pair.server = server;
      server.on("data", (chunk) => {
        if (pair.clientGone) return;
        if (this.mode === "up") pair.client.write(chunk);
        else pair.toClient.push(chunk);
      });
      server.on("error", () => {});
      server.on("close", () => this.drop(pair));
    }
    for (const chunk of pair.toServer.splice(0)) pair.server.write(chunk);
    if (pair.clientGone) {
      this.pairs.delete(pair);
      pair.server.end();
      return;
    }
    for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
  }

  private drop(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.resetAndDestroy();
    pair.server?.resetAndDestroy();
  }
}
