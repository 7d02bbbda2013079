/**
 * The Content-Security-Policy of every page (issue 10, decision 621).
 *
 * Scripts run only with this response's nonce, and whatever those scripts
 * load ('strict-dynamic': Next's chunks are added by its own nonce-carrying
 * runtime), so an injected `<script>` or `onerror=` attribute does not run.
 * `'self'` and `https:` are there for browsers too old for 'strict-dynamic'
 * (CSP 3 browsers ignore them when it is present). No framing (clickjacking;
 * X-Frame-Options says the same to old browsers), no `<base>` to re-point
 * relative URLs, no plugins, forms only to ourselves.
 * Styles may be inline: React renders `style=` attributes and styles cannot
 * run code. Development adds 'unsafe-eval', which Next's dev runtime needs.
 */
export function contentSecurityPolicy(nonce: string, options: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'nonce-${nonce}' 'strict-dynamic' 'self' https:${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/** 128 random bits, base64: a fresh one for every response. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** The request header proxy.ts hands the nonce to pages in (never set by a client: proxy.ts overwrites it). */
export const NONCE_HEADER = "x-nonce";
