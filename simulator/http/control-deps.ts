// What the control routes need from the simulator: store lookup and lifecycle, the webhook
// dispatcher's controls, reset. Declared here (not imported from simulator.ts) so the routes
// module does not depend on the module that registers it.
import type { ShopOptions, SimulatedShop } from '../shop.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';

export interface StoreInfo {
  shop: string;
  accessToken: string;
  webhookSecret: string;
  /** The "Admin API base URL override" for the project's clients. */
  adminBaseUrl: string;
  graphqlUrl: string;
}

export type WebhookControls = Pick<WebhookDispatcher, 'deliveries' | 'idle' | 'release' | 'retryNow' | 'configure'>;

export interface ControlDeps {
  readonly webhooks: WebhookControls;
  stores(): SimulatedShop[];
  findStore(shop: string): SimulatedShop | undefined;
  info(shop: string): StoreInfo;
  createStore(options: ShopOptions): SimulatedShop;
  removeStore(shop: string): boolean;
  /** Empties every store and forgets the webhook log. */
  reset(): void;
}
