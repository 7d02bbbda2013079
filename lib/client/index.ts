import { createApiClient } from "./api";
import { browserEnv } from "./browser-env";

/** The app's one wrapper instance. Pages import `api` from here. */
export const api = createApiClient(browserEnv());

export { ApiError, ClientError, NetworkError, ReauthCancelledError, SessionEndedError } from "./errors";
export { describeError, fieldErrors } from "./messages";
export type { Me, SessionInfo, SessionListItem, User } from "./types";
