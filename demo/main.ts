// `npm start` / `npm run demo [-- --exit]`: the seed example, end to end, on an embedded default.
import { checkSeedResult, startDemo, type SyncedDraft } from './demo.js';

const exitWhenDone = process.argv.includes('--exit');
const log = (line: string): void => void process.stdout.write(`${line}\n`);

function print(d: SyncedDraft): void {
  log(`\nmainbrand.myshopify.com now holds draft ${d.name}:`);
  for (const l of d.lines) log(`  ${String(l.quantity).padStart(2)} × ${l.title}${l.sku ? ` (${l.sku})` : ''}`);
  log(`  tags: ${d.tags.join(', ')}`);
  if (d.email) log(`  customer: ${d.email}`);
  if (d.note) log(`  note: ${d.note}`);
  if (d.shipping) log(`  shipping: ${d.shipping}`);
}

const demo = await startDemo({
  log,
  ingestPort: exitWhenDone ? 0 : Number(process.env.PORT ?? 0),
  statusPort: exitWhenDone ? 0 : Number(process.env.STATUS_PORT ?? 0),
});
let code = 0;
try {
  const synced = await demo.runSeedExample();
  print(synced);
  const problems = checkSeedResult(demo.sim, synced);
  if (problems.length > 0) {
    code = 1;
    log(`\nNOT synced correctly:\n  ${problems.join('\n  ')}`);
  } else log('\nsynced correctly ✔');
} catch (err) {
  code = 1;
  log(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
}

if (exitWhenDone || code !== 0) {
  await demo.stop();
  process.exit(code);
}

log(`\nStill running — create, edit or delete drafts in eu-brand and watch mainbrand follow:`);
log(`  status page:           ${demo.statusUrl}/`);
log(`  settings page:         ${demo.settingsUrl}  (switch sync or the invoice on and off live)`);
log(`  simulator control API: ${demo.sim.url}/_control/stores  (e.g. GET ${demo.sim.url}/_control/stores/mainbrand.myshopify.com)`);
log(`  ingest webhooks:       ${demo.ingestUrl}/webhooks/shopify   metrics: ${demo.ingestUrl}/metrics`);
if (demo.mapperOpsUrl) log(`  mapper metrics:        ${demo.mapperOpsUrl}/metrics`);
if (demo.writerOpsUrl) log(`  writer metrics:        ${demo.writerOpsUrl}/metrics`);
log('Ctrl-C stops everything the demo started.');

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  log('\nstopping…');
  void demo.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
