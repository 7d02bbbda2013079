// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // `npm run bench` builds a second copy with browser source maps, to tell
  // exactly which bytes of a merged module are lib/client's (bench/client-cost.mjs).
  // The app itself ships no source maps.
  ...(process.env.NEXT_BENCH_SOURCE_MAPS === "1" ? { distDir: ".next/source-mapped", productionBrowserSourceMaps: true } : {}),
  poweredByHeader: false,
  reactStrictMode: true,
  // piscina starts its threads from its own files (dist/worker.js next to
  // dist/main.js): bundled, it would look for them under the bundle's root.
  serverExternalPackages: ["piscina"],
  // Next's own trailing-slash redirect answers /api/x/ with a text 308 and no
  // Cache-Control, where the API promises JSON: route handlers match /api/x/
  // themselves (unknown paths get the JSON 404). Pages keep the redirect
  // (/account/ → /account), declared here for every path outside /api; Next's
  // repeated-slash fix runs first, so //evil.example/ stays on this site.
  skipTrailingSlashRedirect: true,
  async redirects() {
    return [{ source: "/:path((?!api(?:/|$)).+)/", destination: "/:path", permanent: true }];
  },
  // Authenticated pages and API responses are never cacheable; route handlers
  // also set this themselves, this is the backstop.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
      { source: "/api/:path*", headers: [{ key: "Cache-Control", value: "no-store" }] },
    ];
  },
};

module.exports = nextConfig;
