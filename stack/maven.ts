// Fetches the stack's JVM artifacts from Maven Central once; later starts use the cache.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { cacheDir, mavenDir } from './paths.js';
import { requireMaven } from './java.js';

export const KAFKA_VERSION = '4.1.1';
export const APICURIO_VERSION = '3.3.3';
/** The newest Apicurio built for Java 17, for machines without a Java 21+. */
export const APICURIO_JAVA17_VERSION = '3.0.9';

/**
 * Download progress of the fetches running at once (Kafka and the registry download together):
 * one line updated in place on a terminal; otherwise a plain line per fetch every few seconds
 * and when it ends, so logs and CI output stay readable.
 */
const counts = new Map<string, number>();
let lastPlain = new Map<string, number>();
const PLAIN_EVERY_MS = 5000;

function reportProgress(what: string, downloads: number, done = false): void {
  counts.set(what, downloads);
  if (process.stderr.isTTY) {
    const line = [...counts].map(([name, n]) => `${name}: ${n} artifacts`).join(', ');
    process.stderr.write(`\r\x1b[2K[stack] downloading ${line}${done && [...counts.keys()].length === 1 ? '\n' : ''}`);
    if (done) {
      counts.delete(what);
      if (counts.size === 0) process.stderr.write('\n');
    }
    return;
  }
  const now = Date.now();
  if (done || now - (lastPlain.get(what) ?? 0) >= PLAIN_EVERY_MS) {
    lastPlain = new Map(lastPlain).set(what, now);
    process.stderr.write(`[stack] ${what}: ${downloads} artifacts downloaded${done ? ' (done)' : ''}\n`);
  }
  if (done) counts.delete(what);
}

/** Runs Maven, reporting the artifacts it downloads (first run only). */
async function runMaven(args: string[], what: string): Promise<void> {
  const mvn = requireMaven();
  let downloads = 0;
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(mvn, ['-B', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/^\[INFO\] Download(ed|ing) from/.test(line) || /^Download(ed|ing) from/.test(line)) {
        if (line.includes('Downloaded')) {
          downloads += 1;
          reportProgress(what, downloads);
        }
      }
    };
    let buf = '';
    const feed = (chunk: Buffer): void => {
      buf += chunk.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('close', (code) => {
      if (downloads > 0) reportProgress(what, downloads, true);
      if (code === 0) resolve();
      else reject(new Error(`Maven failed fetching ${what} (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** A directory holding the complete Kafka broker classpath (jars). */
export async function kafkaLibs(): Promise<string> {
  const dir = path.join(cacheDir, `kafka-${KAFKA_VERSION}`);
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return dir;
  process.stderr.write(`[stack] fetching Apache Kafka ${KAFKA_VERSION} from Maven Central (first run only)\n`);
  rmSync(dir, { recursive: true, force: true });
  await runMaven(
    [
      '-f',
      path.join(mavenDir, 'kafka-pom.xml'),
      `-Dkafka.version=${KAFKA_VERSION}`,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${dir}`,
    ],
    `Kafka ${KAFKA_VERSION}`,
  );
  writeFileSync(done, new Date().toISOString());
  return dir;
}

/** The unpacked Apicurio Registry app; returns the path of its runnable jar. */
export async function apicurioJar(version = APICURIO_VERSION): Promise<string> {
  const dir = path.join(cacheDir, `apicurio-${version}`);
  const done = path.join(dir, '.complete');
  if (!existsSync(done)) {
    process.stderr.write(`[stack] fetching Apicurio Registry ${version} from Maven Central (first run only, 100-160 MB)\n`);
    rmSync(dir, { recursive: true, force: true });
    const dl = path.join(cacheDir, 'downloads');
    mkdirSync(dl, { recursive: true });
    await runMaven(
      [
        'dependency:copy',
        `-Dartifact=io.apicurio:apicurio-registry-app:${version}:tar.gz:all`,
        `-DoutputDirectory=${dl}`,
      ],
      `Apicurio ${version}`,
    );
    mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['xzf', path.join(dl, `apicurio-registry-app-${version}-all.tar.gz`), '-C', dir]);
    rmSync(dl, { recursive: true, force: true });
    writeFileSync(done, new Date().toISOString());
  }
  // 3.3 ships a Quarkus fast-jar (quarkus-run.jar), 3.0 an uber jar (*-runner.jar).
  const jar = findFile(dir, (name) => name === 'quarkus-run.jar' || name.endsWith('-runner.jar'));
  if (!jar) throw new Error(`no runnable jar found in ${dir}; delete it and retry`);
  return jar;
}

function findFile(dir: string, matches: (name: string) => boolean): string | null {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile() && matches(e.name)) return p;
    if (e.isDirectory()) {
      const found = findFile(p, matches);
      if (found) return found;
    }
  }
  return null;
}
