// Running the OS's own tools (netsh, iw, PowerShell, journalctl). Injectable so the probes can be
// tested without them; a missing tool is an answer ("not available"), not a crash.
import { execFile } from 'node:child_process';

export type RunCommand = (file: string, args: readonly string[], timeoutMs?: number) => Promise<string>;

export const runCommand: RunCommand = (file, args, timeoutMs = 20_000) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        // netsh and iw print their "no interface" answers and exit non-zero: the parsers read those.
        if (stdout || stderr) resolve(`${stdout}${stderr}`);
        else reject(error);
      } else resolve(stdout);
    });
  });
