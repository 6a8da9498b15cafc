// What the status service counts: records folded from its two feeds, and failed polls.
import { Counter, type Registry } from 'prom-client';

export interface StatusMetrics {
  readonly recordsRead: Counter<'topic'>;
  readonly undecodable: Counter<'topic'>;
  readonly pollFailures: Counter;
}

export function createStatusMetrics(registry: Registry): StatusMetrics {
  return {
    recordsRead: new Counter({ name: 'status_records_read_total', help: 'Records folded into the page, by feed', labelNames: ['topic'], registers: [registry] }),
    undecodable: new Counter({ name: 'status_records_undecodable_total', help: 'Records skipped because they did not decode', labelNames: ['topic'], registers: [registry] }),
    pollFailures: new Counter({ name: 'status_poll_failures_total', help: 'Failed reads of lag, redrive marks or mappings', registers: [registry] }),
  };
}
