// Optional CPU profile of one benchmark phase (BENCH_PROFILE_DIR=dir): a .cpuprofile per phase,
// for Chrome DevTools or speedscope, so fill work does not blur the phase measured.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

export async function profiled<T>(phase: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(dir, `${phase}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`[bench] CPU profile of ${phase}: ${file}\n`);
  }
}
