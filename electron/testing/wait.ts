// Waits in tests for something another thread or timer brings about.

/** Resolves once `predicate` holds, checking every 20 ms; fails after `ms`, naming what it waited for. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, ms: number, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
