// Preload for `node --import`: samples every allocation site, counting objects that were
// already collected too (what the young generation churns through, which --heap-prof leaves
// out), and writes ALLOC_PROFILE_DIR/alloc-<pid>.heapprofile when the process exits.
// Summarize with: node bench/support/summarize-profile.mjs FILE.heapprofile

import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.ALLOC_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: 32768,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.on('exit', () => {
  // On the main thread the inspector answers synchronously, so this runs to the end.
  session.post('HeapProfiler.stopSampling', (err, res) => {
    if (!err) writeFileSync(join(dir, `alloc-${process.pid}.heapprofile`), JSON.stringify(res.profile));
  });
});
