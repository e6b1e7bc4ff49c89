/**
 * Wait for `work`, but at most `ms` real milliseconds; the timer is cleared either way, so nothing is left
 * pending after a sandbox stops (test files share their worker process: vitest.config.ts).
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<undefined>((r) => {
        timer = setTimeout(() => r(undefined), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
