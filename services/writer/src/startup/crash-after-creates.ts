// Fault injection for crash tests: kill -9 this process right after the n-th draftOrderCreate
// reply arrives — the create happened in the store, its link was never written.
import type { AdminGraphql, CallOptions } from '../../../../src/shopify/admin-client.js';

export function crashAfterCreates(count: number): (shop: string, api: AdminGraphql) => AdminGraphql {
  let created = 0;
  return (_shop, api) => ({
    shop: api.shop,
    async call<T>(operation: string, document: string, variables: Record<string, unknown>, options?: CallOptions) {
      const result = await api.call<T>(operation, document, variables, options);
      if (operation === 'DraftOrderCreate' && result.kind === 'ok' && ++created >= count) process.kill(process.pid, 'SIGKILL');
      return result;
    },
  });
}
