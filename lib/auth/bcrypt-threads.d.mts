// Types for lib/auth/bcrypt-threads.mjs (plain JS so scripts/cluster.mjs can import it).
/** bcrypt threads per server process when `processes` of them share `cores`: max(1, ⌊(cores − 1) / processes⌋). */
export declare function bcryptThreads(cores: number, processes?: number): number;
