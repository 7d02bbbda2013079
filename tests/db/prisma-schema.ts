// A deliberately small reader for the model section of prisma/schema.prisma:
// enough to say which tables, columns, keys, indexes and foreign keys the
// migrations must create. Anything it does not understand throws, so a new
// schema feature fails the test loudly instead of being skipped silently.
import { readFileSync } from "node:fs";

export const MODELS_MARKER = "// --- models (keep identical in both schema files) ---";
const SCALARS = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"]);

export interface Field {
  name: string;
  type: string;
  optional: boolean;
  id: boolean;
  unique: boolean;
  /** The raw argument of @default(...), or null. */
  default: string | null;
}
export interface Relation {
  fields: string[];
  model: string;
  references: string[];
  onDelete: string;
  onUpdate: string;
}
export interface Model {
  name: string;
  fields: Field[];
  relations: Relation[];
  indexes: { fields: string[]; unique: boolean }[];
  compoundId: string[] | null;
}

/** Everything after the marker line: the part both schema files must share. */
export function modelSection(file: string): string {
  const text = readFileSync(file, "utf8");
  const at = text.indexOf(MODELS_MARKER);
  if (at < 0) throw new Error(`${file} lacks the line ${MODELS_MARKER}`);
  return text.slice(at + MODELS_MARKER.length);
}

const list = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);
const arg = (attrs: string, name: string) => new RegExp(`${name}:\\s*(\\[[^\\]]*\\]|\\w+)`).exec(attrs)?.[1];

export function parseModels(file: string): Model[] {
  const section = modelSection(file).replace(/\/\/.*$/gm, "");
  if (/\benum\s+\w+|\btype\s+\w+\s*\{|@map\(|@@map\(|@db\./.test(section)) {
    throw new Error("prisma-schema.ts does not understand enums, composite types, @map or @db.*: extend it");
  }
  const blocks = [...section.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)];
  const modelNames = new Set(blocks.map((b) => b[1]));
  return blocks.map(([, name, body]) => {
    const model: Model = { name, fields: [], relations: [], indexes: [], compoundId: null };
    for (const line of body.split("\n").map((l) => l.trim()).filter(Boolean)) {
      const block = /^@@(\w+)\(\[([^\]]*)\]\)$/.exec(line);
      if (block) {
        const fields = list(block[2]);
        if (block[1] === "index") model.indexes.push({ fields, unique: false });
        else if (block[1] === "unique") model.indexes.push({ fields, unique: true });
        else if (block[1] === "id") model.compoundId = fields;
        else throw new Error(`unsupported @@${block[1]} in model ${name}`);
        continue;
      }
      const m = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
      if (!m) throw new Error(`cannot read line in model ${name}: ${line}`);
      const [, fieldName, type, modifier, attrs] = m;
      if (modelNames.has(type)) {
        if (!attrs.includes("fields:")) continue; // the back-relation side has no column
        model.relations.push({
          fields: list(arg(attrs, "fields")!.slice(1, -1)),
          model: type,
          references: list(arg(attrs, "references")!.slice(1, -1)),
          // Prisma's defaults: Restrict for a required relation, SetNull for an optional one.
          onDelete: arg(attrs, "onDelete") ?? (modifier === "?" ? "SetNull" : "Restrict"),
          onUpdate: arg(attrs, "onUpdate") ?? "Cascade",
        });
        continue;
      }
      if (!SCALARS.has(type) || modifier === "[]") throw new Error(`unsupported type ${type}${modifier ?? ""}`);
      model.fields.push({
        name: fieldName,
        type,
        optional: modifier === "?",
        id: /@id\b/.test(attrs),
        unique: /@unique\b/.test(attrs),
        default: /@default\((.*?)\)(\s|$)/.exec(attrs)?.[1] ?? null,
      });
    }
    return model;
  });
}
