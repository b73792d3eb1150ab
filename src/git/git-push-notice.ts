/**
 * How a replica that received a push webhook tells every replica (itself
 * included) which repositories moved: a Postgres NOTIFY on
 * `GIT_PUSH_CHANNEL` carrying their mirror keys. Sync workers then resolve
 * the revisions their Applications follow in those repositories at once,
 * instead of at the next poll. NOTIFY is not durable; a missed notice only
 * delays the change to the next poll.
 */
export const GIT_PUSH_CHANNEL = 'fleetplane_git_push';

// NOTIFY payloads must stay under 8,000 bytes.
const MAX_PAYLOAD_BYTES = 7_900;

/** The NOTIFY payload naming `repoKeys` (as many as fit; a push names one or two). */
export function pushNotice(repoKeys: readonly string[]): string {
  const kept: string[] = [];
  for (const key of new Set(repoKeys)) {
    if (Buffer.byteLength(JSON.stringify([...kept, key])) > MAX_PAYLOAD_BYTES) break;
    kept.push(key);
  }
  return JSON.stringify(kept);
}

/** Sends the notice through `db` (committed at once: it is not part of a transaction). */
export async function announcePush(
  db: { query(sql: string, parameters: unknown[]): Promise<unknown> },
  repoKeys: readonly string[],
): Promise<void> {
  if (repoKeys.length === 0) return;
  await db.query('SELECT pg_notify($1, $2)', [GIT_PUSH_CHANNEL, pushNotice(repoKeys)]);
}

/** The repository keys of a notice; none when the payload is not one. */
export function readPushNotice(payload: string | undefined): string[] {
  try {
    const parsed: unknown = JSON.parse(payload ?? '');
    return Array.isArray(parsed) ? parsed.filter((key) => typeof key === 'string') : [];
  } catch {
    return [];
  }
}
