"use client";

import { useEffect, useState } from "react";

/** The 10 recovery codes, shown this once, with a download as a plain-text file. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const text = `Fresh Auth recovery codes (${window.location.host})\nEach code signs you in once, instead of an authenticator code.\n\n${codes.join("\n")}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [codes]);
  return (
    <div>
      <p role="status" className="notice notice-ok">
        Two-step sign-in is on. Save these recovery codes now: they are shown only this once.
      </p>
      <ul className="recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      {href && (
        <p>
          <a className="button" href={href} download="fresh-auth-recovery-codes.txt">
            Download recovery codes
          </a>
        </p>
      )}
    </div>
  );
}
