"use client";

import { useEffect, useState } from "react";
import useSWR from "swr";
import { FormMessage } from "@/app/_components/form-message";
import { useAction } from "@/app/_components/use-action";
import { useNow } from "@/app/_components/use-now";
import { api, fieldErrors } from "@/lib/client";
import { addPasskey, supportsPasskeys, type PasskeyView } from "@/lib/client/passkeys";
import { PasskeyRow } from "./passkey-row";

type Passkeys = { passkeys: PasskeyView[] };

/**
 * The account's passkeys. Adding and removing need a fresh token: when the
 * last proof is too old, "Confirm it's you" opens (a passkey is offered there
 * too) and the action goes on by itself once confirmed.
 */
export function PasskeysSection({ initial }: { initial: PasskeyView[] }) {
  // The server just rendered the list: no second read on mount (one request fewer on every page load).
  const { data, mutate, error: loadError } = useSWR<Passkeys>("/api/account/passkeys", { fallbackData: { passkeys: initial }, revalidateOnMount: false });
  const now = useNow(60_000);
  const [supported, setSupported] = useState(true);
  const [done, setDone] = useState<string | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  useEffect(() => setSupported(supportsPasskeys()), []);

  const add = useAction(async () => {
    setDone(null);
    const passkey = await addPasskey();
    await mutate();
    setDone(`Passkey added as “${passkey.name}”. Next time, sign in with it instead of your password.`);
  });
  const remove = useAction(async (passkey: PasskeyView) => {
    setDone(null);
    setWorking(passkey.id);
    try {
      await api.delete(`/api/account/passkeys/${encodeURIComponent(passkey.id)}`);
      await mutate();
      setDone(`Removed “${passkey.name}”.`);
    } finally {
      setWorking(null);
    }
  });
  const [renameError, setRenameError] = useState<{ id: string; message?: string; error: unknown } | null>(null);

  async function rename(passkey: PasskeyView, name: string): Promise<boolean> {
    setDone(null);
    setRenameError(null);
    setWorking(passkey.id);
    try {
      await api.patch(`/api/account/passkeys/${encodeURIComponent(passkey.id)}`, { name });
      await mutate();
      setDone("Passkey renamed.");
      return true;
    } catch (caught) {
      setRenameError({ id: passkey.id, message: fieldErrors(caught).name, error: caught });
      return false;
    } finally {
      setWorking(null);
    }
  }

  const passkeys = data?.passkeys ?? initial;
  const error = add.error ?? remove.error ?? (renameError && !renameError.message ? renameError.error : null) ?? loadError;
  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <p className="muted">
        A passkey signs you in with this device&apos;s screen lock, fingerprint or face, with nothing to type and nothing a fake site can steal.
      </p>
      {passkeys.length > 0 ? (
        <ul className="passkeys" aria-labelledby="passkeys-title">
          {passkeys.map((passkey) => (
            <PasskeyRow
              key={passkey.id}
              passkey={passkey}
              now={now}
              busy={working === passkey.id}
              renameError={renameError?.id === passkey.id ? renameError.message : undefined}
              onRename={(name) => rename(passkey, name)}
              onRemove={() => void remove.run(passkey)}
            />
          ))}
        </ul>
      ) : (
        <p className="muted small">No passkeys yet.</p>
      )}
      <FormMessage error={error} success={done} />
      {supported ? (
        <button type="button" className="button" aria-disabled={add.pending || undefined} aria-busy={add.pending || undefined} onClick={() => void add.run()}>
          Add a passkey
        </button>
      ) : (
        <p className="muted small">This browser cannot create passkeys.</p>
      )}
    </section>
  );
}
