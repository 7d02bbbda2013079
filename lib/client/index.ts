import { createApiClient } from "./api";
import { browserEnv } from "./browser-env";
import { connectUserStore } from "./user-store";

const env = browserEnv();
/** The app's one wrapper instance. Pages import `api` from here. */
export const api = createApiClient(env);
connectUserStore(env.tabs, () => void api.get("/api/me").catch(() => undefined));

export { ApiError, ClientError, fieldErrors, NetworkError, ReauthCancelledError, SessionEndedError } from "./errors";
export type { Me, SessionInfo, SessionListItem, User } from "./types";
