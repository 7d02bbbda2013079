import assert from "node:assert/strict";
import { test } from "node:test";
import { setTestEnv } from "../test-utils";
import { resetConfigForTests } from "../config";
import { clientAddress, PEER_HEADER, rateLimitKey, stripPort, UNPARSABLE_ADDRESS } from "./client-address";

setTestEnv();
resetConfigForTests();

test("IPv4 is counted as itself, however a dual-stack socket spells it", () => {
  assert.equal(rateLimitKey("192.0.2.7"), "192.0.2.7");
  assert.equal(rateLimitKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(rateLimitKey("::FFFF:c000:0207"), "192.0.2.7");
});

test("IPv6 is counted by its /64, so one host cannot spray from its whole prefix", () => {
  const key = rateLimitKey("2001:db8:aaaa:bbbb::1");
  assert.equal(key, "2001:db8:aaaa:bbbb::/64");
  for (const sibling of ["2001:db8:aaaa:bbbb:ffff:ffff:ffff:ffff", "2001:0DB8:AAAA:BBBB:0:0:0:2", "2001:db8:aaaa:bbbb:1234::"]) {
    assert.equal(rateLimitKey(sibling), key, sibling);
  }
  assert.notEqual(rateLimitKey("2001:db8:aaaa:bbbc::1"), key, "the next /64 is another client");
  assert.equal(rateLimitKey("::1"), "0:0:0:0::/64");
});

test("what is not an address counts under one shared key, so made-up values buy nothing", () => {
  for (const value of ["unknown", "not-an-ip", "1.2.3.4.5", "[::1", "1.2.3.4:port", "999.1.1.1"]) {
    assert.equal(rateLimitKey(value), UNPARSABLE_ADDRESS, value);
  }
});

test("a port (and IPv6 brackets) is stripped before parsing: the ephemeral port is not the client", () => {
  assert.equal(stripPort("1.2.3.4:5678"), "1.2.3.4");
  assert.equal(stripPort("[2001:db8::1]:443"), "2001:db8::1");
  assert.equal(stripPort("[2001:db8::1]"), "2001:db8::1");
  assert.equal(stripPort("2001:db8::1"), "2001:db8::1", "a bare IPv6 address keeps its last group");
  assert.equal(stripPort("::ffff:1.2.3.4"), "::ffff:1.2.3.4");
  assert.equal(stripPort("1.2.3.4"), "1.2.3.4");
});

test("the peer header is the address unless a proxy is trusted, and then only X-Forwarded-For's last entry", () => {
  const request = (headers: Record<string, string>) => new Request("http://app.test/", { headers });
  const sent = { [PEER_HEADER]: "::ffff:10.0.0.1", "x-forwarded-for": "203.0.113.9, 2001:db8::5" };
  assert.equal(clientAddress(request(sent)), "10.0.0.1");
  setTestEnv({ AUTH_TRUST_PROXY: "1" });
  resetConfigForTests();
  assert.equal(clientAddress(request(sent)), "2001:db8:0:0::/64");
  assert.equal(clientAddress(request({ [PEER_HEADER]: "10.0.0.1" })), "10.0.0.1", "no header: the peer");
  for (const [entry, key] of [["198.51.100.7:1234", "198.51.100.7"], ["[2001:db8:1:2::9]:443", "2001:db8:1:2::/64"], ["[::ffff:198.51.100.7]:80", "198.51.100.7"], ["garbage", UNPARSABLE_ADDRESS]]) {
    assert.equal(clientAddress(request({ "x-forwarded-for": `203.0.113.1, ${entry}` })), key, entry);
  }
});
