// Describes a migrated database as plain data, and what prisma/schema.prisma
// says it should be, in the same form: a test then compares the two with one
// deepStrictEqual and the diff names the forgotten column or index.
import assert from "node:assert/strict";
import Database from "better-sqlite3";
import pg from "pg";
import type { Model } from "./prisma-schema";

export type Provider = "sqlite" | "postgresql";
export interface ForeignKey {
  columns: string[];
  table: string;
  references: string[];
  onDelete: string;
  onUpdate: string;
}
export interface TableShape {
  columns: Record<string, { type: string; nullable: boolean; default: string | null }>;
  primaryKey: { name: string | null; columns: string[] };
  indexes: Record<string, { columns: string[]; unique: boolean }>;
  foreignKeys: Record<string, ForeignKey>;
}
export type Shape = Record<string, TableShape>;

// The column types Prisma Migrate generates for each scalar (no @db.* attributes).
const TYPES: Record<Provider, Record<string, string>> = {
  sqlite: { String: "TEXT", Int: "INTEGER", BigInt: "BIGINT", Float: "REAL", Boolean: "BOOLEAN", DateTime: "DATETIME" },
  postgresql: {
    String: "text",
    Int: "integer",
    BigInt: "bigint",
    Float: "double precision",
    Boolean: "boolean",
    DateTime: "timestamp(3) without time zone",
  },
};
const ACTIONS: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  NoAction: "NO ACTION",
  SetNull: "SET NULL",
  SetDefault: "SET DEFAULT",
};

function dbDefault(value: string | null, provider: Provider): string | null {
  if (value === null || /^(uuid|cuid|nanoid|ulid)\(.*\)$/.test(value)) return null; // client-side defaults
  if (value === "now()") return "CURRENT_TIMESTAMP";
  if (/^".*"$/.test(value)) {
    const literal = `'${value.slice(1, -1).replace(/'/g, "''")}'`;
    return provider === "postgresql" ? `${literal}::text` : literal;
  }
  if (/^(-?\d+(\.\d+)?|true|false)$/.test(value)) return value;
  throw new Error(`db-shape.ts cannot predict @default(${value}): extend it`);
}

export function expectedShape(models: Model[], provider: Provider): Shape {
  const shape: Shape = {};
  for (const m of models) {
    const key = (fields: string[], suffix: string) => `${m.name}_${fields.join("_")}_${suffix}`;
    const table: TableShape = {
      columns: {},
      primaryKey: {
        name: provider === "postgresql" ? `${m.name}_pkey` : null,
        columns: m.compoundId ?? m.fields.filter((f) => f.id).map((f) => f.name),
      },
      indexes: {},
      foreignKeys: {},
    };
    for (const f of m.fields) {
      const type = TYPES[provider][f.type];
      if (!type) throw new Error(`db-shape.ts has no ${provider} type for ${f.type}: extend it`);
      table.columns[f.name] = { type, nullable: f.optional, default: dbDefault(f.default, provider) };
      if (f.unique) table.indexes[key([f.name], "key")] = { columns: [f.name], unique: true };
    }
    for (const i of m.indexes) {
      table.indexes[key(i.fields, i.unique ? "key" : "idx")] = { columns: i.fields, unique: i.unique };
    }
    for (const r of m.relations) {
      table.foreignKeys[key(r.fields, "fkey")] = {
        columns: r.fields,
        table: r.model,
        references: r.references,
        onDelete: ACTIONS[r.onDelete],
        onUpdate: ACTIONS[r.onUpdate],
      };
    }
    shape[m.name] = table;
  }
  return shape;
}

const emptyTable = (): TableShape => ({
  columns: {},
  primaryKey: { name: null, columns: [] },
  indexes: {},
  foreignKeys: {},
});

/** The app's tables in a SQLite file (the migration history table left out). */
export function sqliteShape(file: string): Shape {
  const db = new Database(file, { readonly: true });
  try {
    const shape: Shape = {};
    const tables = db
      .prepare(
        `SELECT name, sql FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
      )
      .all() as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const t = (shape[name] = emptyTable());
      type Column = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
      const cols = db.pragma(`table_info("${name}")`) as Column[];
      for (const c of cols) t.columns[c.name] = { type: c.type, nullable: !c.notnull, default: c.dflt_value };
      t.primaryKey.columns = cols.filter((c) => c.pk).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      for (const i of db.pragma(`index_list("${name}")`) as { name: string; unique: number; origin: string }[]) {
        if (i.origin === "pk") continue;
        const columns = (db.pragma(`index_info("${i.name}")`) as { name: string }[]).map((c) => c.name);
        t.indexes[i.name] = { columns, unique: !!i.unique };
      }
      // SQLite keeps no name for a foreign key except in the CREATE TABLE text.
      const names = new Map(
        [...sql.matchAll(/CONSTRAINT "([^"]+)" FOREIGN KEY \(([^)]*)\)/g)].map((m) => [
          m[2].replace(/[" ]/g, ""),
          m[1],
        ]),
      );
      type Fk = { id: number; table: string; from: string; to: string; on_update: string; on_delete: string };
      const fks = db.pragma(`foreign_key_list("${name}")`) as Fk[];
      for (const id of new Set(fks.map((f) => f.id))) {
        const parts = fks.filter((f) => f.id === id);
        const columns = parts.map((p) => p.from);
        t.foreignKeys[names.get(columns.join(",")) ?? `unnamed_${id}`] = {
          columns,
          table: parts[0].table,
          references: parts.map((p) => p.to),
          onDelete: parts[0].on_delete,
          onUpdate: parts[0].on_update,
        };
      }
    }
    return shape;
  } finally {
    db.close();
  }
}

// pg_constraint.confdeltype / confupdtype codes.
const PG_ACTIONS: Record<string, string> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};
// Column names of an int2vector of attribute numbers, in key order.
const attnames = (rel: string, keys: string) =>
  `array(SELECT a.attname FROM unnest(${keys}) WITH ORDINALITY k(n, o)
         JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n ORDER BY k.o)::text[]`;

/** The app's tables in the connected database's current schema. */
export async function postgresShape(url: string): Promise<Shape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    const shape: Shape = {};
    const inSchema = "n.nspname = current_schema() AND t.relkind = 'r' AND t.relname <> '_prisma_migrations'";
    for (const c of await q(`
      SELECT t.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
             NOT a.attnotnull AS nullable, pg_get_expr(d.adbin, d.adrelid) AS default
      FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE ${inSchema} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`)) {
      (shape[c.table] ??= emptyTable()).columns[c.name] = { type: c.type, nullable: c.nullable, default: c.default };
    }
    for (const i of await q(`
      SELECT t.relname AS table, ic.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
             ${attnames("t.oid", "x.indkey")} AS columns
      FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class ic ON ic.oid = x.indexrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace WHERE ${inSchema}`)) {
      if (i.primary) shape[i.table].primaryKey = { name: i.name, columns: i.columns };
      else shape[i.table].indexes[i.name] = { columns: i.columns, unique: i.unique };
    }
    for (const f of await q(`
      SELECT t.relname AS table, c.conname AS name, r.relname AS ref, c.confdeltype AS del, c.confupdtype AS upd,
             ${attnames("c.conrelid", "c.conkey")} AS columns, ${attnames("c.confrelid", "c.confkey")} AS references
      FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace WHERE c.contype = 'f' AND ${inSchema}`)) {
      shape[f.table].foreignKeys[f.name] = {
        columns: f.columns,
        table: f.ref,
        references: f.references,
        onDelete: PG_ACTIONS[f.del],
        onUpdate: PG_ACTIONS[f.upd],
      };
    }
    return shape;
  } finally {
    await client.end();
  }
}

/** Compares table names, then each table's column names, then everything: the first failure names the gap. */
export function assertSameShape(actual: Shape, expected: Shape): void {
  const names = (o: object) => Object.keys(o).sort();
  assert.deepStrictEqual(names(actual), names(expected), "tables differ from schema.prisma's models");
  for (const table of names(expected)) {
    const [a, e] = [actual[table], expected[table]];
    assert.deepStrictEqual(names(a.columns), names(e.columns), `${table}: columns differ from the model's fields`);
    for (const part of ["columns", "primaryKey", "indexes", "foreignKeys"] as const) {
      assert.deepStrictEqual(a[part], e[part], `${table}: ${part} differ from schema.prisma`);
    }
  }
}
