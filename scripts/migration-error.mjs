// The one error type of scripts/migrate.mjs and its provider sides: `code` is
// Prisma's where Prisma has one (P3005, P3009, P3018, P3019), else our own.
export class MigrationError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "MigrationError";
    this.code = code;
  }
}
