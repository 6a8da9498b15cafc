import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  adminGraphqlUrl,
  connectionsOfShop,
  findConnectionByDestination,
  findStore,
  loadConfig,
  loadSettings,
  resolveConfig,
  webhookSecretsFor,
} from './index.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));
const ENV = {
  MAINBRAND_ADMIN_TOKEN: 'shpat_main',
  MAINBRAND_WEBHOOK_SECRET: 'main-secret',
  EU_BRAND_ADMIN_TOKEN: 'shpat_eu',
  EU_BRAND_WEBHOOK_SECRET: 'eu-secret',
  EU_BRAND_WEBHOOK_SECRET_NEXT: 'eu-secret-next',
};

function base(): { stores: Record<string, unknown>[]; connections: Record<string, unknown>[] } {
  return {
    stores: [
      { shop: 'mainbrand.myshopify.com', adminTokenEnv: 'MAINBRAND_ADMIN_TOKEN', webhookSecretEnvs: ['MAINBRAND_WEBHOOK_SECRET'] },
      {
        shop: 'eu-brand.myshopify.com',
        adminTokenEnv: 'EU_BRAND_ADMIN_TOKEN',
        webhookSecretEnvs: ['EU_BRAND_WEBHOOK_SECRET', 'EU_BRAND_WEBHOOK_SECRET_NEXT'],
        adminApiUrl: 'http://127.0.0.1:4000/shops/eu-brand.myshopify.com/',
      },
    ],
    connections: [{ id: 'eu', source: 'mainbrand.myshopify.com', destination: 'eu-brand.myshopify.com' }],
  };
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the documented example', () => {
    const config = loadConfig(EXAMPLE, ENV);
    expect(config.stores.map((s) => s.shop)).toEqual(['mainbrand.myshopify.com', 'eu-brand.myshopify.com']);
    expect(config.connections).toEqual([
      {
        id: 'eu-brand',
        sourceShop: 'mainbrand.myshopify.com',
        destinationShop: 'eu-brand.myshopify.com',
        draftOrderSync: true,
        orderTrigger: false,
        sendInvoice: false,
        originTag: 'From {shop}',
        variantMatch: 'sku',
        unmapped: 'skip',
        prices: 'source',
        onCompleted: 'tag',
        onSourceEdited: 'flag',
      },
    ]);
    expect(findStore(config, 'mainbrand.myshopify.com')).toMatchObject({
      adminApiToken: 'shpat_main',
      webhookSecrets: ['main-secret'],
      adminApiBaseUrl: 'https://mainbrand.myshopify.com',
      apiVersion: '2026-10',
    });
  });

  it('takes the path from DOS_CONFIG and reads JSON files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dos-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify(base()));
    const config = loadConfig(undefined, { ...ENV, DOS_CONFIG: file });
    expect(config.connections[0]?.destinationShop).toBe('eu-brand.myshopify.com');
    expect(errorOf(() => loadConfig(undefined, ENV)).message).toMatch(/DOS_CONFIG/);
    expect(errorOf(() => loadConfig(join(dir, 'missing.yaml'), ENV)).message).toMatch(/cannot read .*ENOENT/);
  });

  it('applies defaults and resolves overrides and secrets', () => {
    const config = resolveConfig(base(), ENV);
    const eu = findStore(config, 'EU-BRAND.myshopify.com');
    expect(eu?.adminApiBaseUrl).toBe('http://127.0.0.1:4000/shops/eu-brand.myshopify.com');
    expect(adminGraphqlUrl(eu!)).toBe('http://127.0.0.1:4000/shops/eu-brand.myshopify.com/admin/api/2026-10/graphql.json');
    expect(webhookSecretsFor(config, 'eu-brand.myshopify.com')).toEqual(['eu-secret', 'eu-secret-next']);
    expect(webhookSecretsFor(config, 'unknown.myshopify.com')).toEqual([]);
    expect(findConnectionByDestination(config, 'eu-brand.myshopify.com')?.id).toBe('eu');
    expect(findConnectionByDestination(config, 'mainbrand.myshopify.com')).toBeUndefined();
    expect(connectionsOfShop(config, 'mainbrand.myshopify.com').map((c) => c.id)).toEqual(['eu']);
  });

  it('accepts originTag false', () => {
    const raw = base();
    raw.connections[0]!.originTag = false;
    expect(resolveConfig(raw, ENV).connections[0]?.originTag).toBe(false);
  });

  const invalid: [string, (raw: ReturnType<typeof base>) => void, string][] = [
    ['an unknown policy', (r) => (r.connections[0]!.unmapped = 'drop'), 'config: connections[0].unmapped: expected one of skip|partial|custom'],
    ['an unknown field', (r) => (r.connections[0]!.colour = 'red'), 'config: connections[0].colour: unknown field'],
    ['a bad shop domain', (r) => (r.stores[0]!.shop = 'mainbrand.com'), 'config: stores[0].shop: expected a shop domain ending in .myshopify.com'],
    ['a missing token env name', (r) => delete r.stores[1]!.adminTokenEnv, 'config: stores[1].adminTokenEnv: required'],
    ['no webhook secret', (r) => (r.stores[1]!.webhookSecretEnvs = []), 'config: stores[1].webhookSecretEnvs: expected at least one environment variable name'],
    ['a non-http override', (r) => (r.stores[1]!.adminApiUrl = 'ftp://x'), 'config: stores[1].adminApiUrl: expected an http(s) base URL without query or fragment'],
    ['an origin tag without {shop}', (r) => (r.connections[0]!.originTag = 'Synced'), 'config: connections[0].originTag: expected false or a format containing {shop}'],
    ['a non-boolean flag', (r) => (r.connections[0]!.sendInvoice = 'yes'), 'config: connections[0].sendInvoice: expected boolean, received string'],
    ['an unknown source shop', (r) => (r.connections[0]!.source = 'other.myshopify.com'), 'config: connections[0].source: other.myshopify.com is not in stores'],
    [
      'a destination in two connections',
      (r) => r.connections.push({ id: 'eu2', source: 'mainbrand.myshopify.com', destination: 'eu-brand.myshopify.com' }),
      'config: connections[1].destination: eu-brand.myshopify.com is already the destination of connection eu',
    ],
    ['a duplicate id', (r) => r.connections.push({ id: 'eu', source: 'eu-brand.myshopify.com', destination: 'mainbrand.myshopify.com' }), 'config: connections[1].id: eu is used twice'],
    ['a connection to itself', (r) => (r.connections[0]!.destination = 'mainbrand.myshopify.com'), 'config: connections[0].destination: must differ from the source'],
    ['an id unfit for Redis keys', (r) => (r.connections[0]!.id = 'a{b}'), 'config: connections[0].id: expected 1-64 characters of A-Z a-z 0-9 . _ -'],
  ];
  it.each(invalid)('rejects %s with a clear error', (_name, mutate, expected) => {
    const raw = base();
    mutate(raw);
    expect(errorOf(() => resolveConfig(raw, ENV)).message.split('\n')).toContain(expected);
  });

  it('names a missing secret variable without printing any secret', () => {
    const { EU_BRAND_WEBHOOK_SECRET_NEXT: _unset, ...env } = ENV;
    const error = errorOf(() => resolveConfig(base(), { ...env, EU_BRAND_ADMIN_TOKEN: '' }));
    expect(error.problems).toEqual([
      'stores[1].adminTokenEnv: environment variable EU_BRAND_ADMIN_TOKEN is not set',
      'stores[1].webhookSecretEnvs[1]: environment variable EU_BRAND_WEBHOOK_SECRET_NEXT is not set',
    ]);
    for (const secret of Object.values(ENV)) expect(error.message).not.toContain(secret);
  });

  it('reports invalid YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dos-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'stores: [\n');
    expect(errorOf(() => loadConfig(file, ENV)).message).toMatch(/^config: .*bad\.yaml: invalid YAML/);
  });
});

describe('loadSettings', () => {
  const ENDPOINTS = {
    KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
    SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8080/apis/ccompat/v7',
    REDIS_URL: 'redis://127.0.0.1:6379',
  };

  it('reads endpoints and the optional topic prefix', () => {
    expect(loadSettings(ENDPOINTS).infra).toEqual({
      kafkaBrokers: ['127.0.0.1:9092', '127.0.0.1:9093'],
      schemaRegistryUrl: 'http://127.0.0.1:8080/apis/ccompat/v7',
      redisUrl: 'redis://127.0.0.1:6379',
      redisClusterNodes: [],
      topicPrefix: '',
      topicPartitions: 6,
      topicReplicationFactor: -1,
    });
  });

  it('takes a topic replication factor for the topics it creates (default: the broker default, -1)', () => {
    expect(loadSettings({ ...ENDPOINTS, TOPIC_REPLICATION_FACTOR: '3' }).infra.topicReplicationFactor).toBe(3);
    expect(errorOf(() => loadSettings({ ...ENDPOINTS, TOPIC_REPLICATION_FACTOR: '0' })).problems).toEqual([
      'env TOPIC_REPLICATION_FACTOR: expected an integer of at least 1, got "0"',
    ]);
  });

  it('has no defaults for endpoints: each missing one is an error', () => {
    expect(errorOf(() => loadSettings({})).problems).toEqual([
      'env KAFKA_BROKERS: required',
      'env SCHEMA_REGISTRY_URL: required',
      'env REDIS_URL: required',
    ]);
    expect(loadSettings({ REDIS_URL: 'redis://h:1' }, ['redis']).infra.kafkaBrokers).toEqual([]);
  });

  it('rejects malformed endpoints without echoing the Redis URL', () => {
    const error = errorOf(() => loadSettings({ KAFKA_BROKERS: 'nohost', SCHEMA_REGISTRY_URL: 'x', REDIS_URL: 'http://:pw@h' }));
    expect(error.problems).toEqual([
      'env KAFKA_BROKERS: nohost: expected host:port',
      'env SCHEMA_REGISTRY_URL: expected an http(s) URL',
      'env REDIS_URL: expected a redis:// or rediss:// URL',
    ]);
    expect(error.message).not.toContain(':pw@');
  });

  it('has one set of defaults for groups and prefixes, following the topic prefix', () => {
    expect(loadSettings({ ...ENDPOINTS, TOPIC_PREFIX: 'staging.' }).names).toEqual({
      mappingPrefix: 'dos:',
      writerPrefix: 'dos:writer:',
      opsPrefix: 'dos:ops:',
      mapperGroup: 'staging.mapper',
      writerGroup: 'staging.writer',
      mapperTransactionalId: 'staging.mapper',
    });
  });

  it('treats an empty or blank variable as unset everywhere (REDIS_KEY_PREFIX="" means the default prefix)', () => {
    const settings = loadSettings({ ...ENDPOINTS, REDIS_KEY_PREFIX: '', WRITER_REDIS_PREFIX: '  ', MAPPER_GROUP_ID: '', PORT: '', STATUS_TOKEN: '' });
    expect(settings.names.mappingPrefix).toBe('dos:');
    expect(settings.names.opsPrefix).toBe('dos:ops:');
    expect(settings.names.writerPrefix).toBe('dos:writer:');
    expect(settings.names.mapperGroup).toBe('mapper');
    expect(settings.ingest.port).toBe(8080);
    expect(settings.status.token).toBeUndefined();
  });

  it('derives the operator prefix from the mapping prefix unless it is set', () => {
    expect(loadSettings({ ...ENDPOINTS, REDIS_KEY_PREFIX: 'eu:' }).names.opsPrefix).toBe('eu:ops:');
    expect(loadSettings({ ...ENDPOINTS, REDIS_KEY_PREFIX: 'eu:', OPS_REDIS_PREFIX: 'cli:' }).names.opsPrefix).toBe('cli:');
  });

  it('tells the mapper and writer ops ports apart, OPS_PORT serving a service started alone', () => {
    const alone = loadSettings({ ...ENDPOINTS, OPS_PORT: '9100' });
    expect([alone.mapper.opsPort, alone.writer.opsPort]).toEqual([9100, 9100]);
    const defaults = loadSettings(ENDPOINTS);
    expect([defaults.mapper.opsPort, defaults.writer.opsPort]).toEqual([8081, 8082]);
    const both = loadSettings({ ...ENDPOINTS, OPS_PORT: '9100', MAPPER_OPS_PORT: '9101', WRITER_OPS_PORT: '9102' });
    expect([both.mapper.opsPort, both.writer.opsPort]).toEqual([9101, 9102]);
  });

  it('rejects numbers that are not numbers, naming the variable', () => {
    expect(errorOf(() => loadSettings({ ...ENDPOINTS, MAPPER_WORKERS: 'two', PORT: '70000', TOPIC_PARTITIONS: '0' })).problems).toEqual([
      'env TOPIC_PARTITIONS: expected an integer of at least 1, got "0"',
      'env PORT: expected a port (0-65535), got 70000',
      'env MAPPER_WORKERS: expected an integer of at least 1, got "two"',
    ]);
  });

  it('turns traces on only when the standard OTEL_* variables ask for them', () => {
    expect(loadSettings(ENDPOINTS).tracing.enabled).toBe(false);
    expect(loadSettings({ ...ENDPOINTS, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.enabled).toBe(true);
    expect(loadSettings({ ...ENDPOINTS, OTEL_TRACES_EXPORTER: 'otlp' }).tracing.enabled).toBe(true);
    expect(loadSettings({ ...ENDPOINTS, OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing.enabled).toBe(false);
    expect(loadSettings({ ...ENDPOINTS, OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).tracing.enabled).toBe(false);
  });

  it('returns a frozen object', () => {
    const settings = loadSettings(ENDPOINTS);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.names)).toBe(true);
    expect(Object.isFrozen(settings.infra.kafkaBrokers)).toBe(true);
  });
});
