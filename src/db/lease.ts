/**
 * Leases: what a request or a job run holds (an Idempotency-Key, a RUNNING run)
 * carries an expiry that its holder renews while it works, so a holder that died
 * with its process lets go within one lease instead of holding on for a day, or
 * for ever.
 */

/** Renews a lease every third of its length until the returned function is called. */
export function keepLeased(renew: () => Promise<unknown>, leaseMs: number, log: (line: Record<string, unknown>) => void): () => void {
  const timer = setInterval(() => {
    renew().catch((error) => log({ level: 'warn', msg: 'renewing a lease failed', error: String(error) }));
  }, leaseMs / 3);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
