// Reads docs/adopting.md as a program: the blocks a newcomer follows by hand
// are the blocks this test follows mechanically, so the guide cannot drift
// from the code without CI failing.
import { readFileSync } from "node:fs";

export interface Guide {
  /** Globs to copy from this repository (`!` excludes). */
  copy: string[];
  /** `npm install …` lines: the packages and exact versions the guide names. */
  installs: string[];
  /** Files the guide tells the adopter to write: path → content. */
  files: Map<string, string>;
  /** Shell commands, in order, from ```sh run blocks. */
  run: string[];
}

const FENCE = /^```(\S+)([^\n]*)\n([\s\S]*?)^```$/gm;

export function readGuide(file: string): Guide {
  const text = readFileSync(file, "utf8");
  const guide: Guide = { copy: [], installs: [], files: new Map(), run: [] };
  for (const [, lang, info, body] of text.matchAll(FENCE)) {
    const file = /\bfile=(\S+)/.exec(info)?.[1];
    if (lang === "copy") guide.copy.push(...lines(body));
    else if (lang === "sh" && /\binstall\b/.test(info)) guide.installs.push(...lines(body));
    else if (lang === "sh" && /\brun\b/.test(info)) guide.run.push(...lines(body));
    else if (file) guide.files.set(file, body);
  }
  return guide;
}

const lines = (body: string) =>
  body
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line && !line.startsWith("#"));
