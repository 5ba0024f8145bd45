// Writes a file so readers see the old content or the new, never half of it: a private temp
// file in the same directory, then rename over the target. Part of the fast `auth token`
// bundle: node:fs/promises is reached through fs.promises, which loads it on first use.

import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let written = 0;

/** Writes `data` to `path` with `mode`, creating the directory (0700) when missing. */
export async function writeFileAtomic(path: string, data: string, mode: number): Promise<void> {
  const dir = dirname(path);
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  // Unique among live processes (pid) and within this one (count); `wx` refuses, rather than
  // reuses, a name left behind by a process that died with the same pid.
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${++written}.tmp`);
  // `wx` + mode: the file never exists with looser permissions, not even for a moment.
  const fh = await fsp.open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.chmod(mode); // open() applies the umask; make the mode exact
    await fh.sync();
  } catch (err) {
    await fh.close();
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, path);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

/** Makes an existing directory private (mkdir's mode does not change an existing one). */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  await fsp.chmod(dir, 0o700);
}
