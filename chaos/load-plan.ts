// The chaos load: drafts with 3–5 versions each, every delivery shuffled into one timeline,
// ~10 % of them delivered a second time later (Shopify delivers at least once, in any order).
// Pure: the same seed and options give the same plan, so a failing run can be re-run exactly.
import { draftBody } from '../bench/support/draft-bodies.js';
import type { Random } from '../simulator/core/random.js';

export const DESTINATION = 'eu-brand.myshopify.com';
export const SOURCE = 'mainbrand.myshopify.com';
export const CONNECTION = 'eu';
/** Destination variant ids of the load; each is mapped to a source variant before the run. */
export const destinationVariant = (n: number): number => 46_000_000 + n;

export interface LoadOptions {
  readonly drafts: number;
  readonly minVersions: number;
  readonly maxVersions: number;
  /** Share of deliveries sent twice. */
  readonly duplicateShare: number;
  /** How many mapped variants the lines pick from. */
  readonly variants: number;
  /** First draft id (ids stay unique across runs sharing a store). */
  readonly firstId: number;
}

/** One version of one draft: what the source copy must show once it is the newest applied. */
export interface DraftVersion {
  readonly key: string;
  readonly id: number;
  /** 1-based. */
  readonly n: number;
  /** updated_at; versions of a draft are a minute apart (Shopify's precision is one second). */
  readonly updatedAt: string;
  readonly topic: 'draft_orders/create' | 'draft_orders/update';
  readonly body: string;
  /** Destination variant → quantity. */
  readonly lines: ReadonlyMap<number, number>;
  readonly note: string;
}

export interface Delivery {
  readonly version: DraftVersion;
  /** X-Shopify-Webhook-Id: a repeated delivery keeps its id. */
  readonly webhookId: string;
  readonly repeat: boolean;
}

export interface LoadPlan {
  readonly versions: readonly DraftVersion[];
  /** In sending order. */
  readonly deliveries: readonly Delivery[];
}

export const versionKey = (key: string, updatedAt: string): string => `${key}@${Date.parse(updatedAt)}`;

export function planLoad(random: Random, o: LoadOptions, run: string): LoadPlan {
  const base = Date.parse('2026-11-01T10:00:00Z');
  const versions: DraftVersion[] = [];
  for (let d = 0; d < o.drafts; d++) {
    const id = o.firstId + d;
    const count = o.minVersions + Math.floor(random() * (o.maxVersions - o.minVersions + 1));
    for (let n = 1; n <= count; n++) versions.push(version(random, o, run, id, n, base + d * 1000 + n * 60_000));
  }
  const once: Delivery[] = versions.map((version, i) => ({ version, webhookId: `${run}-${i}`, repeat: false }));
  const order = shuffle(random, once);
  // A repeat goes somewhere after its first delivery.
  for (const first of once) {
    if (random() >= o.duplicateShare) continue;
    const at = order.indexOf(first);
    const later = at + 1 + Math.floor(random() * (order.length - at));
    order.splice(later, 0, { ...first, repeat: true });
  }
  return { versions, deliveries: order };
}

function version(random: Random, o: LoadOptions, run: string, id: number, n: number, at: number): DraftVersion {
  const lineCount = 1 + Math.floor(random() * 3);
  const lines = new Map<number, number>();
  while (lines.size < lineCount) lines.set(destinationVariant(Math.floor(random() * o.variants)), 1 + Math.floor(random() * 5));
  const note = `chaos ${run} draft ${id} version ${n}`;
  const updatedAt = new Date(at).toISOString();
  const body = draftBody({ id, shop: DESTINATION, variantIds: [...lines.keys()], quantities: [...lines.values()], updatedAt, note });
  return { key: `${DESTINATION}/draft/${id}`, id, n, updatedAt, topic: n === 1 ? 'draft_orders/create' : 'draft_orders/update', body, lines, note };
}

function shuffle<T>(random: Random, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
