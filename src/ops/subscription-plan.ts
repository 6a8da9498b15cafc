// What it takes to make a store's webhook subscriptions right (pure): every needed topic
// subscribed once to our callback URL, in the configured API version, JSON, with the full
// payload. Ours are the subscriptions at our callback, or at our webhook path on another host
// (an old address of ours: fixed in place); any other address is someone else's and is left
// alone. Subscriptions of ours that are no longer needed are deleted.

/** A subscription as the Admin API lists it. */
export interface ExistingSubscription {
  readonly id: string;
  readonly topic: string;
  readonly uri: string;
  readonly format: string;
  readonly includeFields: readonly string[];
  /** The API version its payloads use; null when the store does not say. */
  readonly apiVersion: string | null;
}

export interface PlanInput {
  readonly existing: readonly ExistingSubscription[];
  readonly topics: readonly string[];
  readonly callbackUrl: string;
  readonly apiVersion: string;
  /** Our webhook path: a subscription at it on another host is ours at an old address. */
  readonly webhookPath: string;
}

export type SubscriptionAction =
  | { readonly kind: 'create'; readonly topic: string; readonly why: string }
  | { readonly kind: 'update'; readonly id: string; readonly topic: string; readonly why: string }
  | { readonly kind: 'delete'; readonly id: string; readonly topic: string; readonly uri: string; readonly why: string };

export interface TopicState {
  readonly topic: string;
  /** `ok`, or what is wrong (in the order it is fixed). */
  readonly problems: readonly string[];
}

export interface SubscriptionPlan {
  readonly topics: readonly TopicState[];
  /** Ours, at addresses or topics no longer needed. */
  readonly extra: readonly string[];
  /** Others' subscriptions (other addresses), left alone. */
  readonly foreign: readonly ExistingSubscription[];
  /** In order: deletes of a subscription precede the create that replaces it. */
  readonly actions: readonly SubscriptionAction[];
}

export function planSubscriptions(input: PlanInput): SubscriptionPlan {
  const { callbackUrl, apiVersion } = input;
  const ours = (s: ExistingSubscription): boolean => s.uri === callbackUrl || pathOf(s.uri) === input.webhookPath;
  const foreign = input.existing.filter((s) => !ours(s));
  const actions: SubscriptionAction[] = [];
  const topics: TopicState[] = [];
  const extra: string[] = [];

  for (const topic of input.topics) {
    const mine = input.existing.filter((s) => s.topic === topic && ours(s));
    // Keep the one already at our callback if there is one, else fix an old address of ours.
    const kept = mine.find((s) => s.uri === callbackUrl) ?? mine[0];
    const problems: string[] = [];
    for (const other of mine) {
      if (other === kept) continue;
      problems.push(`duplicate subscription ${other.id} (${other.uri})`);
      actions.push({ kind: 'delete', id: other.id, topic, uri: other.uri, why: 'duplicate' });
    }
    if (!kept) {
      problems.push('not subscribed');
      actions.push({ kind: 'create', topic, why: 'missing' });
    } else if (kept.apiVersion !== null && kept.apiVersion !== apiVersion) {
      // A subscription's version is the one it was created in: replaced, not updated.
      problems.push(`API version ${kept.apiVersion}, expected ${apiVersion}`);
      actions.push({ kind: 'delete', id: kept.id, topic, uri: kept.uri, why: `API version ${kept.apiVersion}` });
      actions.push({ kind: 'create', topic, why: `in API version ${apiVersion}` });
    } else {
      const fixes: string[] = [];
      if (kept.uri !== callbackUrl) fixes.push(`address ${kept.uri}, expected ${callbackUrl}`);
      if (kept.format !== 'JSON') fixes.push(`format ${kept.format}, expected JSON`);
      if (kept.includeFields.length > 0) {
        const reason = kept.includeFields.includes('updated_at')
          ? 'the mapper needs the whole body'
          : 'lacks updated_at: Shopify drops such deliveries as duplicates';
        fixes.push(`includeFields [${kept.includeFields.join(', ')}] (${reason})`);
      }
      problems.push(...fixes);
      if (fixes.length > 0) actions.push({ kind: 'update', id: kept.id, topic, why: fixes.join('; ') });
    }
    topics.push({ topic, problems });
  }

  const needed = new Set(input.topics);
  for (const s of input.existing) {
    if (!ours(s) || needed.has(s.topic)) continue;
    extra.push(`${s.topic} → ${s.uri}`);
    actions.push({ kind: 'delete', id: s.id, topic: s.topic, uri: s.uri, why: 'topic no longer needed' });
  }
  return { topics, extra, foreign, actions };
}

function pathOf(uri: string): string | null {
  try {
    return new URL(uri).pathname.replace(/\/+$/, '');
  } catch {
    return null;
  }
}
