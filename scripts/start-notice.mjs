// What `npm start` says while it works, kept apart so tests/scripts can check it.

/** Said before a build: the first one takes about a minute, and silence reads as a hang. */
export function buildNotice({ built, changed }) {
  if (!built) return "Building the app, first start only… (about a minute)";
  if (changed) return "Rebuilding the app (sources changed since the last build)…";
  return null;
}

/** Said once the server accepts connections. */
export function readyNotice(port) {
  return `Ready: open http://localhost:${port}`;
}
