/**
 * Next calls register() once when a server process starts: the in-app
 * schedule of the activity log's retention cleanup starts here, so every
 * instance (and every cluster worker) keeps it without an external cron.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startEventCleanup } = await import("./lib/activity/schedule");
  startEventCleanup();
}
