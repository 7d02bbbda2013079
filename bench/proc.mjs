// Linux /proc readings: memory and CPU of the server's process tree (primary
// plus cluster workers), and how busy the whole machine was, so a run on a
// shared machine says how much of the CPU other work took.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

function descendants(pid) {
  const children = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      children.push(...readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number));
    }
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const tree = (pid) => [pid, ...descendants(pid)];

/** Resident memory of a process and its descendants, in bytes. */
export function treeRss(pid) {
  let total = 0;
  for (const p of tree(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      // exited between listing and reading
    }
  }
  return total;
}

/** user + system clock ticks of a process and its descendants (all threads). */
function treeTicks(pid) {
  let total = 0;
  for (const p of tree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
      total += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // exited
    }
  }
  return total;
}

// Clock ticks per second for /proc's utime/stime (100 on every Linux seen so far).
const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system, every thread: the request thread, GC helpers, the
 * libuv pool that runs WebCrypto, the bcrypt workers) of a process and its
 * descendants, in ms. Steadier than req/s on a shared machine: other work
 * slows the server down but does not make it spend more CPU per request.
 */
export function treeCpuMs(pid) {
  return (treeTicks(pid) * 1000) / CLK_TCK;
}

/** The CPU as /proc/cpuinfo names it (`grep -m1 "model name" /proc/cpuinfo`). */
export function cpuModel() {
  try {
    return /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1].trim() ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** Busy ticks of the whole machine, summed over cores. */
function machineTicks() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  return user + nice + system + irq + softirq + steal;
}

/**
 * Starts measuring; `stop()` returns the share of the machine's busy CPU time
 * that went to processes other than `pids` (and their descendants).
 */
export function cpuMeter(pids) {
  const ours = () => pids.reduce((sum, pid) => sum + treeTicks(pid), 0);
  const start = { machine: machineTicks(), ours: ours() };
  return {
    stop() {
      const machine = machineTicks() - start.machine;
      const foreign = Math.max(0, machine - (ours() - start.ours));
      return { busyTicks: machine, foreignPercent: machine ? +((100 * foreign) / machine).toFixed(1) : 0 };
    },
  };
}
