"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Field } from "@/app/_components/field";
import { formatDateTime } from "@/app/_components/use-now";
import type { PasskeyView } from "@/lib/client/passkeys";

interface Props {
  passkey: PasskeyView;
  /** Null during hydration: local times only once the clock is known. */
  now: number | null;
  busy: boolean;
  renameError?: string;
  onRename(name: string): Promise<boolean>;
  onRemove(): void;
}

/** One passkey: its name and times, "Rename" (in place) and "Remove". */
export function PasskeyRow({ passkey, now, busy, renameError, onRename, onRemove }: Props) {
  const id = useId();
  const [editing, setEditing] = useState(false);
  const renameButton = useRef<HTMLButtonElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    if (await onRename(name)) stopEditing();
  }

  const focusRename = useRef(false);
  // Focus goes back where the user started, not to the top of the page. In an
  // effect, after React has put the button back: a requestAnimationFrame could
  // run before that commit on a busy machine and find no button.
  useEffect(() => {
    if (!editing && focusRename.current) {
      focusRename.current = false;
      renameButton.current?.focus();
    }
  }, [editing]);

  function stopEditing() {
    focusRename.current = true;
    setEditing(false);
  }

  const used = passkey.lastUsedAt ? `last used ${formatDateTime(passkey.lastUsedAt)}` : "not used yet";
  return (
    <li aria-label={passkey.name}>
      <div id={`${id}-detail`}>
        <strong>{passkey.name}</strong>
        <div className="muted small">{now === null ? "…" : `Added ${formatDateTime(passkey.createdAt)} · ${used}`}</div>
      </div>
      {editing ? (
        <form className="rename-form" onSubmit={onSubmit} onKeyDown={(e) => e.key === "Escape" && stopEditing()} noValidate>
          <Field label="Passkey name" name="name" defaultValue={passkey.name} maxLength={64} autoFocus required error={renameError} />
          <button type="submit" className="button button-small button-primary" aria-disabled={busy || undefined} aria-busy={busy || undefined}>
            Save name
          </button>
          <button type="button" className="button button-small" onClick={stopEditing}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="passkey-actions">
          <button ref={renameButton} type="button" className="button button-small" aria-describedby={`${id}-detail`} onClick={() => setEditing(true)}>
            Rename
          </button>
          <button type="button" className="button button-small" aria-describedby={`${id}-detail`} aria-disabled={busy || undefined} aria-busy={busy || undefined} onClick={onRemove}>
            Remove
          </button>
        </div>
      )}
    </li>
  );
}
