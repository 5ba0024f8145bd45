// Opens a URL in the person's browser: the command in $BROWSER if set (as other CLIs do; the
// tests point it at a script), else the desktop's opener. The URL is one argument, never parsed
// by a shell. Failing to open is not fatal: the URL is printed too.

import { spawn } from 'node:child_process';

export function openBrowser(url: string, env: Readonly<Record<string, string | undefined>>): Promise<boolean> {
  const command = env.BROWSER?.trim()
    || (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer.exe' : 'xdg-open');
  return new Promise((resolve) => {
    try {
      const child = spawn(command, [url], { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
