// Memory under sustained load: RSS of the server's process tree sampled every
// few seconds while a realistic mix runs (reads, rotations, logins). "Flat"
// means the median of the last third of the samples is less than 5% above the
// median of the first third. (A least-squares slope is reported too, but a
// single garbage-collection dip early in the window tilts it, so it does not
// decide.)
import { chainedRefresh, login, me, signIn } from "./scenarios.mjs";

export async function soak(server, { seconds = 60, everySeconds = Math.max(1, seconds / 12), log = () => {} } = {}) {
  const { email, sessions } = await signIn(server.url, 3);
  // Warm-up first, so heap growth from JIT and first-use caches is not
  // mistaken for a leak.
  await me(server.url, sessions[0], { duration: Math.min(10, Math.ceil(seconds / 4)) });
  const load = { duration: seconds + everySeconds };
  const trackers = [
    me(server.url, sessions[0], { ...load, connections: 6 }),
    chainedRefresh(server.url, sessions.slice(1), load),
    login(server.url, email, { ...load, connections: 2 }),
  ];
  const samples = [];
  const started = Date.now();
  for (let t = 0; t <= seconds; t += everySeconds) {
    await new Promise((r) => setTimeout(r, Math.max(0, started + t * 1000 - Date.now())));
    samples.push({ t, rssMB: +(server.rssBytes() / 2 ** 20).toFixed(1) });
    log(`soak: ${t}s RSS ${samples.at(-1).rssMB} MB`);
  }
  trackers.forEach((tracker) => tracker.stop());
  const [meResult, refreshResult, loginResult] = await Promise.all(trackers);
  const n = samples.length;
  const meanT = samples.reduce((s, x) => s + x.t, 0) / n;
  const meanR = samples.reduce((s, x) => s + x.rssMB, 0) / n;
  const slope =
    samples.reduce((s, x) => s + (x.t - meanT) * (x.rssMB - meanR), 0) / samples.reduce((s, x) => s + (x.t - meanT) ** 2, 0);
  const projected = slope * seconds;
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const third = Math.max(1, Math.floor(n / 3));
  const thirds = {
    first: median(samples.slice(0, third).map((x) => x.rssMB)),
    last: median(samples.slice(-third).map((x) => x.rssMB)),
  };
  return {
    seconds,
    samples,
    startMB: samples[0].rssMB,
    endMB: samples.at(-1).rssMB,
    maxMB: Math.max(...samples.map((x) => x.rssMB)),
    slopeMBPerMin: +(slope * 60).toFixed(2),
    projectedGrowthMB: +projected.toFixed(1),
    meanMB: +meanR.toFixed(1),
    firstThirdMB: thirds.first,
    lastThirdMB: thirds.last,
    flat: thirds.last - thirds.first < 0.05 * meanR,
    requests: {
      me: meResult.requests.total,
      refresh: refreshResult.requests.total,
      refreshBroken: refreshResult.non2xx + refreshResult.errors,
      login: loginResult.requests.total,
    },
  };
}
