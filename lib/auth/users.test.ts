import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { setTestEnv } from "../test-utils";

setTestEnv();

let users: typeof import("./users");

before(async () => {
  users = await import("./users");
});

describe("normalizeEmail", () => {
  test("trims, NFC-normalises and lower-cases", () => {
    assert.equal(users.normalizeEmail("  Ann@Example.COM \n"), "ann@example.com");
    assert.equal(users.normalizeEmail("JOSE\u0301@example.com"), "jos\u00e9@example.com");
    assert.equal(users.normalizeEmail("jos\u00e9@example.com"), users.normalizeEmail("jose\u0301@EXAMPLE.com"));
  });
});

describe("emailSchema", () => {
  const parse = (value: unknown) => users.emailSchema.safeParse(value);

  test("valid addresses come out normalised", () => {
    assert.deepEqual(parse(" Ann.Lee+tag@Example.COM ").data, "ann.lee+tag@example.com");
    assert.deepEqual(parse("bob@sub.example.org").data, "bob@sub.example.org");
  });

  test("one address, one spelling: case and surrounding space do not make a second account", () => {
    const spellings = ["ann@example.com", "ANN@EXAMPLE.COM", " Ann@Example.com", "ann@example.com\t"];
    const results = new Set(spellings.map((s) => parse(s).data));
    assert.deepEqual([...results], ["ann@example.com"]);
  });

  test('composed and decomposed "é" are one address, and it is accepted', () => {
    // The design NFC-normalises e-mails so that the two spellings of "é"
    // cannot become two accounts; that only means something if such
    // addresses are accepted at all.
    const composed = parse("Jos\u00e9@example.com");
    const decomposed = parse("Jose\u0301@example.com");
    assert.equal(composed.success, true, "an address with a non-ASCII local part is refused");
    assert.equal(decomposed.success, true);
    assert.equal(composed.data, decomposed.data);
    assert.equal(composed.data, "jos\u00e9@example.com");
  });

  test("invalid addresses are refused", () => {
    const invalid = ["", "   ", "ann", "ann@", "@example.com", "ann@@example.com", "ann example@example.com", "ann@example", "<ann@example.com>", "ann@example.com, bob@example.com"];
    for (const value of invalid) assert.equal(parse(value).success, false, JSON.stringify(value));
  });

  test("non-strings and over-long addresses are refused", () => {
    for (const value of [undefined, null, 42, ["ann@example.com"], { email: "ann@example.com" }]) {
      assert.equal(parse(value).success, false, JSON.stringify(value));
    }
    assert.equal(parse(`${"a".repeat(310)}@example.com`).success, false);
  });
});

describe("invisible characters and case folding (issue 10 item 6)", () => {
  test("format characters, bidi controls and other default ignorables are refused", () => {
    for (const char of ["\u200b", "\u00ad", "\u2060", "\u200d", "\u200c", "\u202e", "\u2066", "\u200e", "\u061c", "\ufeff", "\ufe0f", "\u3164", "\u034f", "\u180e"]) {
      const result = users.emailSchema.safeParse(`an${char}n@example.com`);
      assert.equal(result.success, false, `U+${char.codePointAt(0)!.toString(16).toUpperCase()}`);
    }
  });

  test("final sigma folds: ΑΣ-x, ας-x and ασ-x are one address", () => {
    const folded = users.normalizeEmail("ασ-x@example.gr");
    for (const form of ["ΑΣ-x@example.gr", "ας-x@example.gr", "Ας-X@EXAMPLE.GR"]) assert.equal(users.normalizeEmail(form), folded, form);
    assert.equal(folded, "ασ-x@example.gr");
  });

  test("ß stays its own letter; capital ẞ is ß; Turkish dotless ı is not i", () => {
    assert.equal(users.normalizeEmail("STRAẞE@example.de"), "straße@example.de");
    assert.notEqual(users.normalizeEmail("straße@example.de"), users.normalizeEmail("strasse@example.de"));
    assert.notEqual(users.normalizeEmail("ılgaz@example.tr"), users.normalizeEmail("ilgaz@example.tr"));
  });
});
