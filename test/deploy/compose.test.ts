// No Docker engine runs here, so the compose file is checked statically: every setting the
// services read is provided, and every image, command and port reference is consistent.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../stack/paths.js';
import { loadConfig } from '../../src/shared/config/index.js';

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;
const ours = ['ingest', 'mapper', 'writer', 'status'] as const;

describe('docker-compose.yml', () => {
  it('runs Kafka, a schema registry, Redis and the three services, each with a health check', () => {
    expect(Object.keys(services).sort()).toEqual(['ingest', 'kafka', 'mapper', 'redis', 'registry', 'status', 'writer']);
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
