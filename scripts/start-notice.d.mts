export function buildNotice(state: { built: boolean; changed: boolean }): string | null;
export function readyNotice(port: number): string;
