import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTestEnv } from "../test-utils";

setTestEnv();

let cookies: typeof import("./cookies");
before(async () => {
  cookies = await import("./cookies");
});

describe("readAuthCookies (issue 10, items 3 and 9)", () => {
  test("reads only the scheme's names", () => {
    const header = "access_token=plain-a; __Host-access_token=host-a; __Secure-refresh_token=r; csrf_token=plain-c";
    assert.deepEqual(cookies.readAuthCookies(header, true), { access: "host-a", refresh: "r" });
    assert.deepEqual(cookies.readAuthCookies(header, false), { access: "plain-a", csrf: "plain-c" });
  });

  test("a name sent twice is refused (403 csrf_failed), whichever comes first", () => {
    for (const header of ["__Secure-refresh_token=planted; __Secure-refresh_token=real", "csrf_token=a; x=1; csrf_token=b"]) {
      assert.throws(
        () => cookies.readAuthCookies(header, header.startsWith("__")),
        (error: { code?: string; status?: number }) => error.code === "csrf_failed" && error.status === 403,
      );
    }
    // The other scheme's duplicates are not ours to judge: they are never read.
    assert.deepEqual(cookies.readAuthCookies("access_token=a; access_token=b; __Host-access_token=h", true), { access: "h" });
  });
});

describe("clearSessionCookies", () => {
  test("clears both name sets; the prefixed ones always with Secure", () => {
    for (const secure of [true, false]) {
      const headers = new Headers();
      cookies.clearSessionCookies(headers, secure);
      const lines = headers.getSetCookie();
      assert.equal(lines.length, 6);
      for (const name of ["access_token", "refresh_token", "csrf_token", "__Host-access_token", "__Secure-refresh_token", "__Host-csrf_token"]) {
        const line = lines.find((l) => l.startsWith(`${name}=;`));
        assert.ok(line && /Max-Age=0/.test(line), `${name} cleared`);
        if (name.startsWith("__")) assert.match(line, /; Secure/);
      }
    }
  });
});
