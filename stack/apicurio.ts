// Apicurio Registry 3.x with in-memory storage; Confluent-compatible API under /apis/ccompat/v7.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { findJava, type JavaRuntime } from './java.js';
import { APICURIO_JAVA17_VERSION, APICURIO_VERSION, apicurioJar } from './maven.js';
import { freePort, isRunning, spawnServer, waitUntil, type SpawnedProcess } from './processes.js';

export interface StartedRegistry {
  readonly url: string;
  readonly process: SpawnedProcess;
}

export async function startApicurio(runDir: string): Promise<StartedRegistry> {
  const { java, version } = apicurioRuntime();
  const jar = await apicurioJar(version);
  const dir = path.join(runDir, 'apicurio');
  mkdirSync(dir, { recursive: true });
  const [port, mgmtPort] = [await freePort(), await freePort()];
  const logFile = path.join(dir, 'apicurio.out');
  const proc = spawnServer(
    java.bin,
    [
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      `-Djava.io.tmpdir=${dir}`,
      '-Dquarkus.http.host=127.0.0.1',
      `-Dquarkus.http.port=${port}`,
      '-Dquarkus.management.host=127.0.0.1',
      `-Dquarkus.management.port=${mgmtPort}`,
      '-Dquarkus.log.level=WARN',
      '-jar',
      jar,
    ],
    logFile,
    dir,
  );
  const url = `http://127.0.0.1:${port}/apis/ccompat/v7`;
  await waitUntil('Apicurio Registry', () => registryAnswers(url), {
    timeoutMs: 120_000,
    alive: () => isRunning(proc),
    logFile,
  });
  return { url, process: proc };
}

/** Apicurio 3.3 is compiled for Java 21; without one, 3.0 (Java 17) serves the same API. */
function apicurioRuntime(): { java: JavaRuntime; version: string } {
  try {
    return { java: findJava(21), version: APICURIO_VERSION };
  } catch {
    process.stderr.write(`[stack] no Java 21+: using Apicurio Registry ${APICURIO_JAVA17_VERSION}, which runs on Java 17\n`);
    return { java: findJava(17), version: APICURIO_JAVA17_VERSION };
  }
}

const PROBE_SCHEMA = JSON.stringify({
  type: 'record',
  name: 'StackProbe',
  namespace: 'com.draftordersync.stack',
  fields: [{ name: 'ok', type: 'boolean' }],
});

/** Ready means a schema round trip works: register, encode, decode. */
export async function registryAnswers(url: string): Promise<boolean> {
  const registry = new SchemaRegistry({ host: url, retry: { retries: 0 } });
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: PROBE_SCHEMA }, { subject: '_stack-probe' });
  const decoded: unknown = await registry.decode(await registry.encode(id, { ok: true }));
  return typeof decoded === 'object' && decoded !== null && (decoded as { ok?: unknown }).ok === true;
}
