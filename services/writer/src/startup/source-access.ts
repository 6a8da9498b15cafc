// Whether every source store answers and accepts our Admin API token. A refused token (401/403)
// or any other permanent error fails start-up: otherwise every record would end in the DLQ. A
// store that does not answer (network, 5xx) only keeps the writer not-ready; the check is
// repeated in the background, and re-run now and then so a revoked token shows in /readyz.
import { DosError } from '../../../../src/shared/errors.js';
import type { Logger } from '../../../../src/shared/log.js';
import { describeFailure } from '../../../../src/shopify/call-result.js';
import type { SourceStore } from '../shopify/source-store.js';

export class SourceAccessRefused extends DosError {
  constructor(readonly problems: readonly string[]) {
    super('SOURCE_ACCESS_REFUSED', `source store access refused: ${problems.join('; ')}`);
  }
}

interface StoreState {
  ok: boolean;
  checkedAt: number;
  checking: Promise<void> | null;
}

export interface SourceAccessOptions {
  readonly logger: Logger;
  /** Re-check a store that passed after this long (default 60 s). */
  readonly recheckMs?: number;
  /** Re-check a store that did not answer after this long (default 5 s). */
  readonly retryMs?: number;
}

export class SourceAccess {
  private readonly state = new Map<string, StoreState>();

  constructor(
    private readonly stores: ReadonlyMap<string, SourceStore>,
    private readonly options: SourceAccessOptions,
  ) {
    for (const shop of stores.keys()) this.state.set(shop, { ok: false, checkedAt: 0, checking: null });
  }

  /** Start-up check of every store; throws SourceAccessRefused for a refused token or a permanent error. */
  async verify(): Promise<void> {
    const problems: string[] = [];
    await Promise.all(
      [...this.stores].map(async ([shop, store]) => {
        const problem = await this.checkOne(shop, store);
        if (problem) problems.push(problem);
      }),
    );
    if (problems.length > 0) throw new SourceAccessRefused(problems);
  }

  /** True when every store passed its last check; starts a background re-check when one is due. */
  ok(): boolean {
    const now = Date.now();
    let all = true;
    for (const [shop, state] of this.state) {
      const due = now - state.checkedAt >= (state.ok ? (this.options.recheckMs ?? 60_000) : (this.options.retryMs ?? 5000));
      const store = this.stores.get(shop);
      if (due && !state.checking && store) {
        state.checking = this.checkOne(shop, store).then(() => {
          state.checking = null;
        });
      }
      all &&= state.ok;
    }
    return all;
  }

  /** The problem when the store refused us permanently, else null (ok, or not answering yet). */
  private async checkOne(shop: string, store: SourceStore): Promise<string | null> {
    const state = this.state.get(shop)!;
    const result = await store.checkAccess();
    state.checkedAt = Date.now();
    state.ok = result.kind === 'ok';
    if (result.kind === 'ok') return null;
    if (result.kind === 'transient' || result.kind === 'throttled') {
      this.options.logger.warn({ shop, reason: describeFailure(result) }, 'source store does not answer yet; not ready');
      return null;
    }
    const refused = result.kind === 'permanent' && (result.status === 401 || result.status === 403);
    const problem = `${shop}: ${refused ? 'Admin API token refused' : 'Admin API check failed'} (${describeFailure(result)})`;
    this.options.logger.error({ shop }, problem);
    return problem;
  }
}
