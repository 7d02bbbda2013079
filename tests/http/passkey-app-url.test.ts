// Behind a proxy: APP_URL names the RP ID and the one expected origin, whatever
// Host the request arrived with.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client, PASSWORD, startServer, uniqueEmail, type TestServer } from "./harness";
import { SoftAuthenticator } from "./passkey-kit";

const APP_URL = "http://app.example.test:8080";
let server: TestServer;
before(async () => {
  server = await startServer({ APP_URL });
});
after(() => server?.stop());

test("RP ID = the host of APP_URL; a response made for the internal address is refused, one for APP_URL accepted", async () => {
  const client = new Client(server.url, { origin: APP_URL });
  const res = await client.post("/api/auth/register", { email: uniqueEmail("proxy"), password: PASSWORD });
  assert.equal(res.status, 201);
  const userId = res.data.user.id;
  const authenticator = new SoftAuthenticator(userId);

  const internal = await client.post("/api/account/passkeys/options");
  assert.equal(internal.data.rp.id, "app.example.test", "not 127.0.0.1, the Host this request came with");
  const wrong = authenticator.register({ challenge: internal.data.challenge, origin: server.url, rpId: new URL(server.url).hostname });
  assert.equal((await client.post("/api/account/passkeys", { response: wrong })).status, 400);

  const options = await client.post("/api/account/passkeys/options");
  const right = authenticator.register({ challenge: options.data.challenge, origin: APP_URL, rpId: "app.example.test" });
  assert.equal((await client.post("/api/account/passkeys", { response: right })).status, 201);

  const browser = new Client(server.url, { origin: APP_URL });
  const signIn = await browser.post("/api/auth/passkey/options");
  assert.equal(signIn.data.rpId, "app.example.test");
  const login = await browser.post("/api/auth/passkey/login", { response: authenticator.assert({ challenge: signIn.data.challenge, origin: APP_URL, rpId: "app.example.test" }) });
  assert.equal(login.status, 200, JSON.stringify(login.data));
  assert.deepEqual(login.data.session.methods, ["passkey"]);
});
