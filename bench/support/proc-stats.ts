// What a process costs, from /proc: CPU seconds (utime + stime) and resident memory.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Samples VmRSS every `intervalMs` until stopped; reports the largest sample and VmHWM, in MB. */
export function sampleRss(pid: number, intervalMs = 250): { stop(): { maxRssMb: number; hwmMb: number } } {
  let max = 0;
  const take = () => {
    try {
      max = Math.max(max, statusKb(pid, 'VmRSS'));
    } catch {
      /* exited */
    }
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      let hwm = 0;
      try {
        hwm = statusKb(pid, 'VmHWM');
      } catch {
        /* exited */
      }
      return { maxRssMb: max / 1024, hwmMb: hwm / 1024 };
    },
  };
}
