// The security activity log (DESIGN.md, "Security activity"): server-only.
export { recordEvent, withEvent, type ClientInfo, type EventWriter, type NewEvent } from "./record";
export { recordFailedSignIn } from "./failed-sign-in";
export { listEvents } from "./list";
export { deleteExpiredEvents } from "./cleanup";
export { startEventCleanup } from "./schedule";
