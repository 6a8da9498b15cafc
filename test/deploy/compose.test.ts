// No Docker engine runs here, so the compose file is checked statically: every setting the
// services read is provided, and every image, command and port reference is consistent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../stack/paths.js';
import { loadConfig } from '../../src/shared/config/index.js';
import { createMetricsRegistry } from '../../src/shared/metrics.js';
import { createIngestMetrics } from '../../services/ingest/src/metrics.js';
import { createMapperMetrics } from '../../services/mapper/src/metrics.js';
import { createWriterMetrics } from '../../services/writer/src/metrics.js';
import { createStatusMetrics } from '../../services/status/src/metrics.js';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  secrets?: (string | { source: string; target?: string; uid?: string; gid?: string })[];
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { environment?: string; file?: string }>;
};
const services = compose.services;
const ours = ['ingest', 'mapper', 'writer', 'status'] as const;

describe('docker-compose.yml', () => {
  it('runs Kafka, a schema registry, Redis and the three services, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['grafana', 'ingest', 'kafka', 'mapper', 'prometheus', 'redis', 'registry', 'status', 'writer']);
    for (const [name, svc] of Object.entries(services)) expect(svc.healthcheck?.test.length, name).toBeGreaterThan(0);
    expect(services.kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(services.registry?.image).toMatch(/^apicurio\/apicurio-registry:3\./);
  });

  it('builds the services from the Dockerfile and starts each one from a file the build produces', () => {
    const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/RUN npm run build/);
    for (const name of ours) {
      const svc = services[name]!;
      expect(svc.build, name).toBe('.');
      const entry = svc.command?.[1] ?? '';
      expect(entry, name).toBe(`dist/services/${name}/src/main.js`);
      expect(existsSync(path.join(projectRoot, entry.replace(/^dist\//, '').replace(/\.js$/, '.ts'))), entry).toBe(true);
      // Everything the build stage compiles must be copied into it.
      const build = JSON.parse(readFileSync(path.join(projectRoot, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
      for (const dir of build.include) expect(dockerfile, `Dockerfile copies ${dir}/`).toContain(`COPY ${dir} ./${dir}`);
      for (const dep of ['kafka', 'registry', 'redis']) expect(svc.depends_on?.[dep]?.condition, `${name} → ${dep}`).toBe('service_healthy');
    }
  });

  it('gives every service the settings it requires, pointing at the compose hosts', () => {
    for (const name of ours) {
      const env = services[name]!.environment ?? {};
      expect(env.KAFKA_BROKERS, name).toBe('kafka:9092');
      expect(env.SCHEMA_REGISTRY_URL, name).toBe('http://registry:8080/apis/ccompat/v7');
      expect(env.REDIS_URL, name).toBe('redis://redis:6379');
      expect(env.DOS_CONFIG, name).toMatch(/^\/app\/config\/.+\.ya?ml$/);
      const configFile = path.join(projectRoot, 'config', path.basename(env.DOS_CONFIG ?? ''));
      // The mounted configuration loads with exactly the secrets compose passes.
      const secrets = Object.fromEntries(Object.keys(env).filter((k) => /_(TOKEN|SECRET)$/.test(k)).map((k) => [k, 'x']));
      expect(() => loadConfig(configFile, secrets), name).not.toThrow();
    }
  });

  it("probes each service's health on the port it listens on", () => {
    const ingest = services.ingest!;
    expect(ingest.environment?.PORT).toBe('8080');
    expect(ingest.ports).toContain('8080:8080');
    expect(ingest.healthcheck?.test.join(' ')).toContain('127.0.0.1:8080/readyz');
    for (const name of ['mapper', 'writer'] as const) {
      const svc = services[name]!;
      const port = svc.environment?.OPS_PORT;
      expect(port, name).toMatch(/^\d+$/);
      expect(svc.healthcheck?.test.join(' '), name).toContain(`127.0.0.1:${port}/readyz`);
    }
    expect(services.registry?.ports).toContain('8081:8080');
    const status = services.status!;
    expect(status.environment?.STATUS_PORT).toBe('8090');
    expect(status.ports).toContain('8090:8090');
    expect(status.healthcheck?.test.join(' ')).toContain('127.0.0.1:8090/healthz');
    // Bound to 0.0.0.0, the status page refuses to start without a token.
    expect(status.environment?.STATUS_HOST).toBe('0.0.0.0');
    expect(status.environment?.STATUS_TOKEN).toBeTruthy();
  });
});

// ---------------------------------------------------------------------------------------------
// Prometheus and Grafana (deploy/): what is scraped, how, and that the dashboard only asks for
// series the services export.

const read = (rel: string): string => readFileSync(path.join(projectRoot, rel), 'utf8');

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  scheme?: string;
  authorization?: { type?: string; credentials?: string; credentials_file?: string };
  static_configs?: { targets: string[] }[];
}
const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: ScrapeConfig[] };

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating?: { list: { query?: string | { query?: string } }[] };
}
const dashboardFile = 'deploy/grafana/dashboards/draft-order-sync.json';
const dashboard = JSON.parse(read(dashboardFile)) as Dashboard;
/** Every panel, those inside (collapsed) rows included. */
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const queryPanels = allPanels(dashboard.panels).filter((p) => p.type !== 'row');

/** Series Prometheus writes itself for every target rather than reading them from /metrics. */
const PROMETHEUS_SERIES = new Set(['up']);

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects: identifiers left once strings, label matchers,
 * ranges, grouping clauses, Grafana variables and offsets are gone, minus functions and
 * aggregations (an identifier followed by "(") and keywords.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+/g, ' ')
    .replace(/\boffset\s+-?\w+/g, ' ')
    .replace(/@\s*\S+/g, ' ');
  const names = new Set<string>();
  for (const [name] of stripped.matchAll(/(?<![\w:.])[A-Za-z_:][\w:]*(?![\w:]|\s*\()/g)) {
    if (!PROMQL_KEYWORDS.has(name.toLowerCase())) names.add(name);
  }
  return [...names];
}

/** Names selected directly inside rate()/irate()/increase(): those must be counters (or histogram parts). */
function rangeFunctionArguments(expr: string): string[] {
  return [...expr.matchAll(/\b(?:rate|irate|increase)\s*\(\s*([A-Za-z_:][\w:]*)/g)].map((m) => m[1]!);
}

function dashboardExprs(): { where: string; expr: string }[] {
  const exprs = queryPanels.flatMap((p) => (p.targets ?? []).map((t, i) => ({ where: `${p.title} #${i}`, expr: t.expr ?? '' })));
  for (const [i, v] of (dashboard.templating?.list ?? []).entries()) {
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (q) exprs.push({ where: `variable #${i}`, expr: q.replace(/^\s*(?:label_values|query_result)\s*\(([\s\S]*)\)\s*$/, '$1') });
  }
  return exprs;
}

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';

/** Every series name each service's /metrics serves: its own metrics and prom-client's defaults. */
async function exportedSeries(): Promise<Map<string, { service: string; type: MetricType }[]>> {
  const build = {
    ingest: createIngestMetrics,
    mapper: createMapperMetrics,
    writer: createWriterMetrics,
    status: createStatusMetrics,
  } satisfies Record<(typeof ours)[number], (registry: ReturnType<typeof createMetricsRegistry>) => unknown>;
  const series = new Map<string, { service: string; type: MetricType }[]>();
  const add = (name: string, service: string, type: MetricType): void => {
    series.set(name, [...(series.get(name) ?? []), { service, type }]);
  };
  for (const service of ours) {
    const registry = createMetricsRegistry(service);
    build[service](registry);
    for (const metric of await registry.getMetricsAsJSON()) {
      const type = String(metric.type) as MetricType;
      add(metric.name, service, type);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) add(metric.name + suffix, service, 'counter');
      if (type === 'summary') for (const suffix of ['_sum', '_count']) add(metric.name + suffix, service, 'counter');
    }
    registry.clear();
  }
  return series;
}

describe('PromQL metric name extraction (used by the dashboard check)', () => {
  it('keeps metric names and drops functions, matchers, grouping, ranges, variables and numbers', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, operation) (rate(writer_shopify_request_seconds_bucket{shop=~"$shop"}[$__rate_interval])))')).toEqual([
      'writer_shopify_request_seconds_bucket',
    ]);
    expect(metricNames('sum(rate(a_sum[5m])) / sum without (instance) (rate(a_count[1h] offset 1d)) > bool 1e3')).toEqual(['a_sum', 'a_count']);
    expect(metricNames('max(x) by (service) * on (service) group_left (version) nodejs_version_info{job="a b"}')).toEqual(['x', 'nodejs_version_info']);
    expect(metricNames('up{job=~"ingest|mapper"} == 0 or vector(0)')).toEqual(['up']);
    expect(rangeFunctionArguments('sum(rate(a_total[5m])) + increase( b_bucket[1m])')).toEqual(['a_total', 'b_bucket']);
  });
});

describe('Prometheus (deploy/prometheus/prometheus.yml)', () => {
  const prom = services.prometheus!;

  it('runs a pinned prom/prometheus image with the config from deploy/ and a health check', () => {
    expect(prom.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    const configFlag = prom.command?.find((c) => c.startsWith('--config.file='));
    expect(configFlag).toBeDefined();
    const configPath = configFlag!.slice('--config.file='.length);
    expect(prom.volumes).toContain(`./deploy/prometheus/prometheus.yml:${configPath}:ro`);
    expect(prom.healthcheck?.test.join(' ')).toContain('/-/ready');
  });

  it('scrapes the four services by compose name, on the port each serves /metrics on', () => {
    const ports: Record<(typeof ours)[number], string | undefined> = {
      ingest: services.ingest?.environment?.PORT,
      mapper: services.mapper?.environment?.OPS_PORT,
      writer: services.writer?.environment?.OPS_PORT,
      status: services.status?.environment?.STATUS_PORT,
    };
    // Reachable from the Prometheus container only when bound beyond loopback.
    expect(services.ingest?.environment?.HOST).toBe('0.0.0.0');
    expect(services.mapper?.environment?.OPS_HOST).toBe('0.0.0.0');
    expect(services.writer?.environment?.OPS_HOST).toBe('0.0.0.0');
    expect(services.status?.environment?.STATUS_HOST).toBe('0.0.0.0');
    // All four serve it through the shared ops routes.
    expect(read('src/shared/http/ops-routes.ts')).toContain("app.get('/metrics'");

    const jobs = prometheus.scrape_configs;
    expect(jobs.map((j) => j.job_name).sort()).toEqual([...ours].sort());
    for (const name of ours) {
      const job = jobs.find((j) => j.job_name === name)!;
      expect(ports[name], name).toMatch(/^\d+$/);
      expect(job.static_configs?.flatMap((c) => c.targets), name).toEqual([`${name}:${ports[name]}`]);
      expect(job.metrics_path ?? '/metrics', name).toBe('/metrics');
      expect(job.scheme ?? 'http', name).toBe('http');
    }
  });

  it("sends the status service's token from a compose secret, never from a committed value", () => {
    const status = prometheus.scrape_configs.find((j) => j.job_name === 'status')!;
    expect(status.authorization?.type ?? 'Bearer').toBe('Bearer');
    expect(status.authorization?.credentials).toBeUndefined();
    const file = status.authorization?.credentials_file ?? '';
    expect(file).toMatch(/^\/run\/secrets\//);
    for (const job of prometheus.scrape_configs.filter((j) => j.job_name !== 'status')) expect(job.authorization, job.job_name).toBeUndefined();

    const grant = (prom.secrets ?? []).map((s) => (typeof s === 'string' ? { source: s } : s)).find((s) => `/run/secrets/${s.target ?? s.source}` === file);
    expect(grant, `prometheus is granted the secret mounted at ${file}`).toBeDefined();
    // The image runs as nobody: the secret file must be readable by it.
    expect(grant?.uid).toBe('65534');
    // The same variable the status service enforces.
    expect(compose.secrets?.[grant!.source]?.environment).toBe('STATUS_TOKEN');
    expect(services.status?.environment?.STATUS_TOKEN).toBe('${STATUS_TOKEN:?set STATUS_TOKEN}');
  });
});

describe('Grafana (deploy/grafana)', () => {
  const grafana = services.grafana!;
  const datasources = parse(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as { datasources: { uid: string; type: string; url: string }[] };
  const providers = parse(read('deploy/grafana/provisioning/dashboards/draft-order-sync.yml')) as { providers: { type: string; options: { path: string } }[] };

  it('runs a pinned grafana/grafana image with the provisioning and dashboards mounted', () => {
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(grafana.volumes).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning:ro');
    const provider = providers.providers.find((p) => p.type === 'file');
    expect(provider).toBeDefined();
    expect(grafana.volumes).toContain(`./deploy/grafana/dashboards:${provider!.options.path}:ro`);
    expect(existsSync(path.join(projectRoot, dashboardFile))).toBe(true);
    expect(grafana.depends_on?.prometheus?.condition).toBe('service_healthy');
    expect(grafana.healthcheck?.test.join(' ')).toContain('/api/health');
  });

  it('asks for an admin password from the environment, with no default, and no anonymous access', () => {
    const env = grafana.environment ?? {};
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]*\}$/);
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
  });

  it('provisions the compose Prometheus as the datasource the dashboard uses', () => {
    const [ds, ...more] = datasources.datasources;
    expect(more).toEqual([]);
    expect(ds?.type).toBe('prometheus');
    expect(ds?.url).toBe(`http://prometheus:${/--web\.listen-address=:(\d+)/.exec(services.prometheus?.command?.join(' ') ?? '')?.[1] ?? '9090'}`);
    for (const p of queryPanels) {
      for (const t of p.targets ?? []) expect(t.datasource?.uid ?? p.datasource?.uid, p.title).toBe(ds!.uid);
    }
  });

  it('is a well-formed dashboard: current schema, unique panel ids, every panel with a query, on a 24-column grid', () => {
    expect(dashboard.uid).toBe('draft-order-sync');
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const ids = allPanels(dashboard.panels).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(queryPanels.length).toBeGreaterThan(0);
    for (const p of queryPanels) {
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.expr?.trim(), p.title).toBeTruthy();
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
    }
  });

  it('uses only metrics the services export (histograms as _bucket/_sum/_count), counters only under rate()/increase()', async () => {
    const exported = await exportedSeries();
    const used = new Set<string>();
    const unknown: string[] = [];
    const notCounters: string[] = [];
    for (const { where, expr } of dashboardExprs()) {
      const names = metricNames(expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        used.add(name);
        if (!exported.has(name) && !PROMETHEUS_SERIES.has(name)) unknown.push(`${where}: ${name}`);
      }
      for (const name of rangeFunctionArguments(expr)) {
        if (exported.get(name)?.some((e) => e.type !== 'counter')) notCounters.push(`${where}: ${name}`);
      }
    }
    expect(unknown, 'dashboard metrics no service exports').toEqual([]);
    expect(notCounters, 'rate()/increase() over something other than a counter').toEqual([]);
    // The panels the operator relies on are there.
    for (const name of [
      'ingest_webhooks_total',
      'ingest_produce_seconds_bucket',
      'mapper_records_in_total',
      'mapper_batch_retries_total',
      'mapper_mapped_out_total',
      'mapper_dead_letters_total',
      'mapper_consumer_running',
      'writer_sync_outcomes_total',
      'writer_shopify_request_seconds_bucket',
      'writer_throttled_total',
      'writer_throttle_available_points',
      'writer_pacing_wait_seconds_total',
      'writer_queue_depth',
      'writer_partition_restarts_total',
      'writer_retries_total',
      'status_records_undecodable_total',
      'status_poll_failures_total',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(used, name).toContain(name);
    }
  });
});
