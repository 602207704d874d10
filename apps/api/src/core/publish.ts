import type { Logger } from 'pino';
import type { Invalidation, InvalidationEvent } from '../invalidation.ts';

/**
 * Tells every API process to forget what it cached about a change. Call it after the change has committed:
 * this process drops its own cache entries at once; the NOTIFY to the others may fail (the database going
 * away just after the commit), and then the failure is logged and the caller still answers success — the
 * change is applied, and reporting it as failed would invite a retry of something already done. Another
 * process misses the message only while its LISTEN connection is down, and it drops its whole cache when
 * that connection is restored (invalidation.ts), so it cannot go on serving what the change replaced.
 */
export async function publishAfterCommit(
  services: { invalidation: Pick<Invalidation, 'publish'>; log: Logger },
  event: InvalidationEvent,
): Promise<void> {
  try {
    await services.invalidation.publish(event);
  } catch (error) {
    services.log.error({ err: error, event }, 'could not publish a cache invalidation');
  }
}
