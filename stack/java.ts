// Finds a Java runtime of at least a given major version: JAVA_HOME, PATH, /usr/lib/jvm.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export interface JavaRuntime {
  readonly bin: string;
  readonly major: number;
}

function majorOf(bin: string): number | null {
  // `java -version` prints to stderr.
  const r = spawnSync(bin, ['-version'], { encoding: 'utf8' });
  return r.status === 0 ? parseMajor(`${r.stderr}${r.stdout}`) : null;
}

export function parseMajor(versionOutput: string): number | null {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m?.[1]) return null;
  const first = Number(m[1]);
  // Java 8 and older report "1.8.0_x".
  return first === 1 && m[2] ? Number(m[2]) : first;
}

function candidates(): string[] {
  const list: string[] = [];
  if (process.env.JAVA_HOME) list.push(path.join(process.env.JAVA_HOME, 'bin', 'java'));
  list.push('java');
  const jvmRoot = '/usr/lib/jvm';
  if (existsSync(jvmRoot)) {
    for (const d of readdirSync(jvmRoot)) list.push(path.join(jvmRoot, d, 'bin', 'java'));
  }
  return list;
}

const cache = new Map<string, JavaRuntime | null>();

/** The first runtime (in candidate order) whose major version is at least `min`. */
export function findJava(min: number): JavaRuntime {
  for (const bin of candidates()) {
    if (!cache.has(bin)) {
      const major = bin === 'java' || existsSync(bin) ? majorOf(bin) : null;
      cache.set(bin, major === null ? null : { bin, major });
    }
    const rt = cache.get(bin);
    if (rt && rt.major >= min) return rt;
  }
  throw new Error(
    `Java ${min}+ not found (looked at JAVA_HOME, PATH and /usr/lib/jvm). ` +
      `Install a JDK ${min} or newer (e.g. 'apt-get install openjdk-17-jre-headless' for 17; a Temurin ${min}+ build otherwise), ` +
      `or point KAFKA_BROKERS / SCHEMA_REGISTRY_URL at running servers.`,
  );
}

export function requireMaven(): string {
  try {
    execFileSync('mvn', ['-v'], { stdio: 'ignore' });
    return 'mvn';
  } catch {
    throw new Error(
      "Maven not found: the local stack fetches Kafka and Apicurio from Maven Central with it. Install it ('apt-get install maven'), " +
        'or point KAFKA_BROKERS / SCHEMA_REGISTRY_URL at running servers.',
    );
  }
}
