/**
 * Runs a step as an unprivileged user, so that file permissions apply: as root (which reads anything) the effective
 * uid and gid are switched to nobody (65534) for the step and back after; as any other user the step just runs.
 * Tests run in forked workers (vitest.config.ts `pool: 'forks'`), so the switch affects this test file alone.
 */
const NOBODY = 65534;

export async function asUnprivileged<T>(step: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0 || process.seteuid === undefined || process.setegid === undefined) return step();
  process.setegid(NOBODY);
  process.seteuid(NOBODY);
  try {
    return await step();
  } finally {
    process.seteuid(0);
    process.setegid(0);
  }
}
