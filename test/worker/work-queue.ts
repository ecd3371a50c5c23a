/** The Worker's work queue in tests: a producer that keeps what is sent, and batches of it handed to the consumer. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { WorkItem } from '../../src/db/context';
import { consumeWork, type Env } from '../../src/worker';

const bindings = env as unknown as Env;

/** The Worker's env with a WORK queue that keeps the messages sent to it. */
export function capturingEnv(): { env: Env; sent: WorkItem[] } {
  const sent: WorkItem[] = [];
  const work = {
    async send(body: WorkItem) {
      sent.push(structuredClone(body));
    },
    async sendBatch(messages: Array<{ body: WorkItem }>) {
      for (const m of messages) sent.push(structuredClone(m.body));
    },
  };
  return { env: { ...bindings, WORK: work as never }, sent };
}

export function batchOf(queue: string, items: WorkItem[], attempts = 1) {
  return createMessageBatch<WorkItem>(
    queue,
    items.map((body, i) => ({ id: `${Date.now()}-${i}-${Math.random()}`, timestamp: new Date(), attempts, body })),
  );
}

/** Delivers what the queue holds in batches of 10 until it is empty; the most queries one invocation ran. */
export async function drain(testEnv: Env, sent: WorkItem[]): Promise<{ invocations: number; maxQueries: number }> {
  let invocations = 0;
  let maxQueries = 0;
  while (sent.length) {
    const batch = batchOf('tenor-work', sent.splice(0, 10));
    const { queries } = await consumeWork(batch as never, testEnv);
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.retryMessages).toEqual([]);
    invocations += 1;
    maxQueries = Math.max(maxQueries, queries);
  }
  return { invocations, maxQueries };
}

