// The one reader of the environment. Entry points call loadSettings(process.env) once and hand
// the frozen result on; nothing else reads process.env. One rule for every variable: unset and
// empty (or blank) are the same, and the default applies — so `REDIS_KEY_PREFIX=` means the
// default prefix for the mapper, the CLI, replay and the status page alike.
import { ConfigError } from './errors.js';
import { ALL_INFRA, BROKER_DEFAULT_REPLICATION, DEFAULT_TOPIC_PARTITIONS, type InfraNeed, type InfraSettings } from './infra.js';
import { CONFIG_PATH_ENV, type Env } from './load.js';
import { resolveNames, type Names } from './names.js';

export interface IngestSettings {
  readonly host: string;
  readonly port: number;
  readonly bodyLimitBytes: number;
  readonly publishTimeoutMs: number;
}

/** Unset tuning values stay undefined: the service's own default applies. */
export interface MapperSettings {
  readonly opsHost: string;
  readonly opsPort: number;
  readonly partitionsConsumedConcurrently: number | undefined;
  readonly sessionTimeoutMs: number | undefined;
  readonly maxBytesPerPartition: number | undefined;
  readonly workers: number | undefined;
}

export interface WriterSettings {
  readonly opsHost: string;
  readonly opsPort: number;
  readonly partitionsConsumedConcurrently: number | undefined;
  readonly keyConcurrency: number | undefined;
  readonly maxOutstandingPerPartition: number | undefined;
  readonly sessionTimeoutMs: number | undefined;
  readonly shutdownGraceMs: number | undefined;
  /** Per-request deadline of Admin API calls; also bounds how long a fenced writer's request may be in flight. */
  readonly shopifyTimeoutMs: number | undefined;
  /** Test-only fault injection: SIGKILL right after the n-th create (WRITER_CRASH_AFTER_CREATES). */
  readonly crashAfterCreates: number | undefined;
}

export interface StatusSettings {
  readonly host: string;
  readonly port: number;
  readonly token: string | undefined;
  /** SETTINGS_TOKENS (`name=token,…`): who may change live settings on the page; the name is audited. */
  readonly writeTokens: readonly NamedToken[];
}

export interface NamedToken {
  readonly name: string;
  readonly token: string;
}

export interface TracingSettings {
  /** OpenTelemetry traces: OTEL_TRACES_EXPORTER=otlp or an OTLP endpoint set, and OTEL_SDK_DISABLED not true. */
  readonly enabled: boolean;
}

export interface Settings {
  /** DOS_CONFIG. */
  readonly configPath: string | undefined;
  /** LOG_LEVEL; undefined = the entry point's default (services: info, CLI: warn). */
  readonly logLevel: string | undefined;
  readonly infra: InfraSettings;
  readonly names: Names;
  readonly ingest: IngestSettings;
  readonly mapper: MapperSettings;
  readonly writer: WriterSettings;
  readonly status: StatusSettings;
  readonly tracing: TracingSettings;
}

/**
 * Reads and checks every setting; all problems are reported at once (ConfigError). Endpoints
 * not in `needs` may be absent (a CLI command that only touches Redis needs no Kafka).
 */
export function loadSettings(env: Env, needs: readonly InfraNeed[] = ALL_INFRA): Settings {
  const read = new Reader(env);
  const infra = readInfra(read, needs);
  const names = resolveNames(infra.topicPrefix, {
    mappingPrefix: read.text('REDIS_KEY_PREFIX'),
    writerPrefix: read.text('WRITER_REDIS_PREFIX'),
    opsPrefix: read.text('OPS_REDIS_PREFIX'),
    mapperGroup: read.text('MAPPER_GROUP_ID'),
    writerGroup: read.text('WRITER_GROUP_ID'),
    mapperTransactionalId: read.text('MAPPER_TRANSACTIONAL_ID'),
  });
  const settings: Settings = {
    configPath: read.text(CONFIG_PATH_ENV),
    logLevel: read.text('LOG_LEVEL'),
    infra,
    names,
    ingest: {
      host: read.text('HOST') ?? '127.0.0.1',
      port: read.port('PORT') ?? 8080,
      bodyLimitBytes: read.int('INGEST_BODY_LIMIT_BYTES', 1) ?? 1_048_576,
      publishTimeoutMs: read.int('INGEST_PUBLISH_TIMEOUT_MS', 1) ?? 3000,
    },
    // OPS_HOST/OPS_PORT serve a service started on its own; MAPPER_/WRITER_ ones tell them apart in one process.
    mapper: {
      opsHost: read.text('MAPPER_OPS_HOST') ?? read.text('OPS_HOST') ?? '127.0.0.1',
      opsPort: read.port('MAPPER_OPS_PORT') ?? read.port('OPS_PORT') ?? 8081,
      partitionsConsumedConcurrently: read.int('MAPPER_CONCURRENCY', 1),
      sessionTimeoutMs: read.int('MAPPER_SESSION_TIMEOUT_MS', 1),
      maxBytesPerPartition: read.int('MAPPER_MAX_BYTES_PER_PARTITION', 1),
      workers: read.int('MAPPER_WORKERS', 1),
    },
    writer: {
      opsHost: read.text('WRITER_OPS_HOST') ?? read.text('OPS_HOST') ?? '127.0.0.1',
      opsPort: read.port('WRITER_OPS_PORT') ?? read.port('OPS_PORT') ?? 8082,
      partitionsConsumedConcurrently: read.int('WRITER_PARTITION_CONCURRENCY', 1),
      keyConcurrency: read.int('WRITER_KEY_CONCURRENCY', 1),
      maxOutstandingPerPartition: read.int('WRITER_MAX_OUTSTANDING_PER_PARTITION', 1),
      sessionTimeoutMs: read.int('WRITER_SESSION_TIMEOUT_MS', 1),
      shutdownGraceMs: read.int('WRITER_SHUTDOWN_GRACE_MS', 0),
      shopifyTimeoutMs: read.int('WRITER_SHOPIFY_TIMEOUT_MS', 1),
      crashAfterCreates: read.int('WRITER_CRASH_AFTER_CREATES', 1),
    },
    status: {
      host: read.text('STATUS_HOST') ?? '127.0.0.1',
      port: read.port('STATUS_PORT') ?? 8090,
      token: read.text('STATUS_TOKEN'),
      writeTokens: read.namedTokens('SETTINGS_TOKENS'),
    },
    tracing: { enabled: tracingEnabled(read) },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(settings);
}

/** The standard OTEL_* variables decide; nothing set means off (no cost). */
function tracingEnabled(read: Reader): boolean {
  if (read.text('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return false;
  const exporter = read.text('OTEL_TRACES_EXPORTER')?.toLowerCase();
  if (exporter !== undefined) return exporter.split(',').includes('otlp');
  return read.text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined || read.text('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined;
}

function readInfra(read: Reader, needs: readonly InfraNeed[]): InfraSettings {
  const required = (name: string, need: InfraNeed): string => {
    const value = read.text(name);
    if (value === undefined && needs.includes(need)) read.problems.push(`env ${name}: required`);
    return value ?? '';
  };
  const brokersText = required('KAFKA_BROKERS', 'kafka');
  const schemaRegistryUrl = required('SCHEMA_REGISTRY_URL', 'schemaRegistry');
  const redisUrl = required('REDIS_URL', 'redis');
  const kafkaBrokers = hostPorts(brokersText);
  for (const broker of kafkaBrokers) {
    if (!HOST_PORT.test(broker)) read.problems.push(`env KAFKA_BROKERS: ${broker}: expected host:port`);
  }
  if (schemaRegistryUrl !== '' && !/^https?:\/\//.test(schemaRegistryUrl)) read.problems.push('env SCHEMA_REGISTRY_URL: expected an http(s) URL');
  // The Redis URL may carry a password: report only that it is malformed.
  if (redisUrl !== '' && !/^rediss?:\/\//.test(redisUrl)) read.problems.push('env REDIS_URL: expected a redis:// or rediss:// URL');
  const redisClusterNodes = hostPorts(read.text('REDIS_CLUSTER_NODES') ?? '');
  for (const node of redisClusterNodes) {
    if (!HOST_PORT.test(node)) read.problems.push(`env REDIS_CLUSTER_NODES: ${node}: expected host:port`);
  }
  return {
    kafkaBrokers,
    schemaRegistryUrl,
    redisUrl,
    redisClusterNodes,
    topicPrefix: read.text('TOPIC_PREFIX') ?? '',
    topicPartitions: read.int('TOPIC_PARTITIONS', 1) ?? DEFAULT_TOPIC_PARTITIONS,
    topicReplicationFactor: read.int('TOPIC_REPLICATION_FACTOR', 1) ?? BROKER_DEFAULT_REPLICATION,
  };
}

const HOST_PORT = /^[^\s:/]+:\d{1,5}$/;
const TOKEN_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

function hostPorts(text: string): string[] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

class Reader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value; undefined when unset, empty or blank. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string, min: number): number | undefined {
    const value = this.text(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < min) {
      this.problems.push(`env ${name}: expected an integer of at least ${min}, got ${JSON.stringify(value)}`);
      return undefined;
    }
    return n;
  }

  /** `name=token,…`; a malformed entry is named by its position, never by its token. */
  namedTokens(name: string): NamedToken[] {
    const tokens: NamedToken[] = [];
    for (const [i, part] of (this.text(name) ?? '').split(',').entries()) {
      if (part.trim() === '') continue;
      const at = part.indexOf('=');
      const who = part.slice(0, at).trim();
      const token = part.slice(at + 1).trim();
      if (at < 1 || !TOKEN_NAME.test(who) || token === '') {
        this.problems.push(`env ${name}: entry ${i + 1}: expected name=token (name: 1-64 of A-Z a-z 0-9 . _ @ -)`);
      } else if (tokens.some((t) => t.name === who)) {
        this.problems.push(`env ${name}: the name ${who} is given twice`);
      } else {
        tokens.push({ name: who, token });
      }
    }
    return tokens;
  }

  port(name: string): number | undefined {
    const n = this.int(name, 0);
    if (n !== undefined && n > 65_535) {
      this.problems.push(`env ${name}: expected a port (0-65535), got ${n}`);
      return undefined;
    }
    return n;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
