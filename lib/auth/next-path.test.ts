import assert from "node:assert/strict";
import { test } from "node:test";
import { safeNextPath } from "./next-path";

test("same-site paths are kept, query and fragment included", () => {
  const table: [string, string][] = [
    ["/", "/"],
    ["/account", "/account"],
    ["/account?x=1", "/account?x=1"],
    ["/account?x=1#sessions", "/account?x=1#sessions"],
    ["/a/../account", "/account"],
  ];
  for (const [next, expected] of table) assert.equal(safeNextPath(next), expected, next);
});

test("anything that could leave the site falls back to /", () => {
  const hostile = [
    "//evil.com",
    "//evil.com/account",
    "/\\evil.com",
    "/\\/evil.com",
    "\\\\evil.com",
    "https://evil.com",
    "http:evil.com",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.com",
    "account",
    "/\r\n/evil.com",
    "/\r\nSet-Cookie: x=1",
    "/\t/evil.com",
    "/account\u0000",
    "/a\\b",
    "",
  ];
  for (const next of hostile) assert.equal(safeNextPath(next), "/", JSON.stringify(next));
});

test("null and undefined fall back, and the fallback can be chosen", () => {
  assert.equal(safeNextPath(null), "/");
  assert.equal(safeNextPath(undefined), "/");
  assert.equal(safeNextPath("//evil.com", "/login"), "/login");
});

test("percent-encoded CR/LF is never decoded into the result", () => {
  // URLSearchParams has already decoded the query once (and a raw CR/LF is
  // refused above). What remains is a literal path on this site: either kept
  // encoded or refused, never turned back into a header-splitting CR/LF.
  const result = safeNextPath("/%0d%0a");
  assert.ok(result === "/" || result === "/%0d%0a", result);
  assert.ok(!/[\r\n]/.test(result));
});

test("every result is a same-site path", () => {
  const samples = ["/ok", "//x", "/\\x", "https://x", "/%2f%2fevil.com", "/%5cevil.com", "/%2e%2e/x"];
  for (const next of samples) {
    const result = safeNextPath(next);
    assert.ok(result.startsWith("/") && !result.startsWith("//") && !result.startsWith("/\\"), `${next} → ${result}`);
    assert.equal(new URL(result, "https://app.example").origin, "https://app.example", `${next} → ${result}`);
  }
});

test("dot segments cannot turn the path into //host (open redirect)", () => {
  // new URL() resolves "/./" and "/../", so "/.//evil.com" comes out as
  // "//evil.com": a protocol-relative URL that browsers follow off-site, both
  // in a Location header and in location.replace().
  for (const next of ["/.//evil.com", "/..//evil.com", "/a/..//evil.com", "/%2e//evil.com", "/./\\evil.com"]) {
    const result = safeNextPath(next);
    assert.ok(!result.startsWith("//") && !result.startsWith("/\\"), `${JSON.stringify(next)} → ${JSON.stringify(result)}`);
    assert.equal(new URL(result, "https://app.example").origin, "https://app.example", `${next} → ${result}`);
  }
});
