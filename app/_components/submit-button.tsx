import type { ReactNode } from "react";

interface Props {
  pending: boolean;
  children: ReactNode;
  variant?: "primary" | "danger" | "plain";
  wide?: boolean;
}

/** The label never changes while pending (accessible names stay stable); a spinner and aria-busy say "working". */
export function SubmitButton({ pending, children, variant = "primary", wide }: Props) {
  const classes = ["button", variant !== "plain" && `button-${variant}`, wide && "wide"].filter(Boolean).join(" ");
  return (
    <button type="submit" className={classes} aria-disabled={pending || undefined} aria-busy={pending || undefined}>
      {children}
    </button>
  );
}
