/** One signed POST of an event to a subscription's URL, and what came back. */
import type { Deps } from '../../db/context';
import { webhookBody, webhookHeaders } from '../../domain/webhook-signing';
import { isSuccessStatus, webhookMessageId } from '../../domain/webhooks';
import { ATTEMPT_TIMEOUT_MS, type OutboxEvent, type Subscription } from './run';

const RESPONSE_SNIPPET_BYTES = 1024;
const USER_AGENT = 'Tenor-Webhooks/1';

export interface AttemptResult {
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  responseBody: string | null;
  durationMs: number;
}

/** One signed POST of the event; never throws. */
export async function send(deps: Deps, subscription: Subscription, event: OutboxEvent, attemptAt: number): Promise<AttemptResult> {
  const body = webhookBody(event.type, event.createdAt, event.data);
  const started = Date.now();
  try {
    const headers = await webhookHeaders(subscription.secret, webhookMessageId(event.id, subscription.id), attemptAt, body);
    const response = await deps.fetch(subscription.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const responseBody = await readSnippet(response);
    const succeeded = isSuccessStatus(response.status);
    return {
      succeeded,
      statusCode: response.status,
      error: succeeded ? null : `the receiver answered ${response.status}`,
      responseBody,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return { succeeded: false, statusCode: null, error: describeFailure(error), responseBody: null, durationMs: Date.now() - started };
  }
}

function describeFailure(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `no response within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  const cause = e?.cause?.code ?? e?.cause?.message;
  return `request failed: ${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`.slice(0, 500);
}

/** The start of the response body (kept for diagnosis); the rest is discarded unread. */
async function readSnippet(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < RESPONSE_SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // a body cut off by the timeout still tells something
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const bytes = new Uint8Array(Math.min(size, RESPONSE_SNIPPET_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    const part = chunk.subarray(0, bytes.length - offset);
    bytes.set(part, offset);
    offset += part.length;
    if (offset >= bytes.length) break;
  }
  const text = new TextDecoder().decode(bytes);
  return text === '' ? null : text;
}
