"use client";

import type { ReactNode } from "react";
import { SWRConfig } from "swr";
import { NetworkError } from "./errors";
import { api } from "./index";
import { ReauthDialog } from "./reauth-dialog";

/**
 * SWR uses the wrapper as its fetcher, so cached reads get the same silent
 * refresh and typed errors as everything else. Only network errors are
 * retried: an auth error answered twice is still an auth error.
 */
export function ClientProviders({ children }: { children: ReactNode }) {
  return (
    <SWRConfig
      value={{
        fetcher: (path: string) => api.get(path),
        revalidateOnFocus: false,
        onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
          if (!(error instanceof NetworkError) || retryCount >= 3) return;
          setTimeout(() => revalidate({ retryCount }), 1000 * 2 ** retryCount);
        },
      }}
    >
      {children}
      <ReauthDialog />
    </SWRConfig>
  );
}
