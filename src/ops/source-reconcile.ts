// reconcile --source: the source store's side. Lists the source store's drafts (paged, in
// updated_at windows, through the paced requester) and holds their sync-tagged copies against
// the writer's links:
// - a linked copy that is gone is re-driven at the version its link says is applied (a forced
//   replay of just those keys, whatever newer versions were skipped since): the writer
//   recreates it with one create;
// - a copy changed by someone else since our last write is reported (onSourceEdited decides
//   what the next update does with it);
// - a tagged copy no link points at (an orphan: a duplicate, or a link lost) is reported.
// A second run right after the first finds nothing gone and writes nothing.
import { z } from 'zod';
import { isSyncTag } from '../domain/keys.js';
import { compareVersions } from '../domain/versions.js';
import type { AppConfig, StoreConfig } from '../shared/config/index.js';
import { findStore } from '../shared/config/index.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';
import type { Infra } from '../shared/infra.js';
import { LinkStore } from '../links/link-store.js';
import type { Link } from '../links/link.js';
import { requesterFor } from './backfill.js';
import { describeListing, listRecords } from './destination.js';
import { silentProgress, type Progress } from './progress.js';
import { runReplay, type ReplaySummary } from './replay/replay.js';

export interface SourceReconcileOptions {
  /** One source store (default: every connection's). */
  readonly shop?: string;
  readonly requester?: (store: StoreConfig) => GraphqlRequest;
  /** How long to wait for the writer's outcomes of what was re-driven (default 60 s). */
  readonly waitMs?: number;
}

export interface CopyFinding {
  readonly key: string;
  readonly sourceDraftId: string;
  readonly sourceDraftName: string | null;
}

export interface SourceReconcileResult {
  readonly sourceShop: string;
  /** Source drafts listed, and how many of them carry a sync tag. */
  readonly listed: number;
  readonly tagged: number;
  /** Live links checked. */
  readonly linked: number;
  /** Linked copies gone from the source store, and the records re-driven for them. */
  readonly gone: readonly CopyFinding[];
  readonly redriven: number;
  /** Copies changed in the source store after our last write. */
  readonly edited: readonly (CopyFinding & { readonly updatedAt: string; readonly flagged: boolean })[];
  /** Sync-tagged copies no link points at. */
  readonly orphans: readonly { readonly sourceDraftId: string; readonly sourceDraftName: string | null; readonly tag: string }[];
  readonly replay: ReplaySummary | null;
}

const copyNode = z.looseObject({ name: z.string().nullish(), updatedAt: z.string(), tags: z.array(z.string()) });

interface Copy {
  readonly name: string | null;
  readonly updatedAt: string;
  readonly tag: string;
}

export async function runSourceReconcile(infra: Infra, config: AppConfig, opts: SourceReconcileOptions = {}, progress: Progress = silentProgress): Promise<SourceReconcileResult[]> {
  const shops = opts.shop ? [opts.shop.toLowerCase()] : [...new Set(config.connections.map((c) => c.sourceShop))];
  const results: SourceReconcileResult[] = [];
  for (const shop of shops) {
    const store = findStore(config, shop);
    if (!store || !config.connections.some((c) => c.sourceShop === shop)) throw new Error(`${shop} is no connection's source store`);
    results.push(await reconcileSource(infra, config, store, opts, progress));
  }
  return results;
}

async function reconcileSource(infra: Infra, config: AppConfig, store: StoreConfig, opts: SourceReconcileOptions, progress: Progress): Promise<SourceReconcileResult> {
  const copies = new Map<string, Copy>();
  let listed = 0;
  progress.start(null, `source copies of ${store.shop}`);
  try {
    const request = requesterFor(store, 'OpsSourceCopies', opts.requester);
    for await (const record of listRecords(request, 'draft', { onPage: (at) => progress.update(listed, describeListing(at)) })) {
      listed++;
      const node = copyNode.parse(record.node);
      const tag = node.tags.find(isSyncTag);
      // Links hold the copy's GID; the listing gives its numeric id.
      if (tag) copies.set(`gid://shopify/DraftOrder/${record.id}`, { name: node.name ?? null, updatedAt: node.updatedAt, tag });
    }
  } finally {
    progress.stop();
  }

  const links = new LinkStore(infra.redis(), { prefix: infra.names.writerPrefix });
  const gone: CopyFinding[] = [];
  const edited: (CopyFinding & { updatedAt: string; flagged: boolean })[] = [];
  const linkedCopies = new Set<string>();
  let linked = 0;
  const destinations = config.connections.filter((c) => c.sourceShop === store.shop).map((c) => c.destinationShop);
  for await (const [key, link] of draftLinksOf(links, destinations)) {
    if (link.status !== 'OPEN' || link.sourceDraftId === null) continue;
    linked++;
    const finding = { key, sourceDraftId: link.sourceDraftId, sourceDraftName: link.sourceDraftName };
    const copy = copies.get(link.sourceDraftId);
    if (!copy) {
      gone.push(finding);
      continue;
    }
    linkedCopies.add(link.sourceDraftId);
    const changed = link.copyUpdatedAt !== null && compareVersions(copy.updatedAt, link.copyUpdatedAt) > 0;
    if (changed || link.sourceEdited !== null) edited.push({ ...finding, updatedAt: copy.updatedAt, flagged: link.sourceEdited !== null });
  }
  const orphans = [...copies].filter(([id]) => !linkedCopies.has(id)).map(([id, copy]) => ({ sourceDraftId: id, sourceDraftName: copy.name, tag: copy.tag }));

  // The applied version of each lost copy, from the raw topic's history, forced.
  const replay =
    gone.length === 0 ? null : await runReplay(infra, config, { fromMs: 0, force: true, keys: new Set(gone.map((g) => g.key)), waitMs: opts.waitMs ?? 60_000 }, progress);
  return { sourceShop: store.shop, listed, tagged: copies.size, linked, gone, redriven: replay?.redriven ?? 0, edited, orphans, replay };
}

/** Every link of these destination shops' drafts. */
async function* draftLinksOf(links: LinkStore, destinations: readonly string[]): AsyncGenerator<[string, Link]> {
  for (const destination of destinations) for await (const page of links.scan(`${destination}/draft/`)) yield* page;
}

/** Human-readable lines. */
export function formatSourceReconcile(r: SourceReconcileResult): string {
  const name = (f: { sourceDraftName: string | null; sourceDraftId: string }): string => f.sourceDraftName ?? f.sourceDraftId;
  const lines = [
    `reconcile --source ${r.sourceShop}: listed ${r.listed} draft(s), ${r.tagged} sync-tagged; checked ${r.linked} link(s)`,
    `  gone:    ${r.gone.length}${r.gone.length > 0 ? ` → re-driven ${r.redriven} record(s) at their applied version (${r.gone.map(name).join(', ')})` : ''}`,
    `  edited:  ${r.edited.length}${r.edited.map((e) => `\n    ${name(e)} (${e.key}) changed ${e.updatedAt}${e.flagged ? ', flagged' : ''}`).join('')}`,
    `  orphans: ${r.orphans.length}${r.orphans.map((o) => `\n    ${name(o)} (${o.tag}): no link points at it`).join('')}`,
  ];
  if (r.replay?.outcomes) lines.push(`  outcomes: ${JSON.stringify(r.replay.outcomes)}`);
  return `${lines.join('\n')}\n`;
}
