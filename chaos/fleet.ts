// The services as separate processes, each with a fixed port so a restart is reachable where the
// old one was: started, killed, paused, added and removed by the faults, restarted like a
// supervisor would. Readiness comes from each process's own /readyz.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../stack/processes.js';
import { spawnService, type ChildService } from '../test/support/child-service.js';
import { waitFor } from '../test/support/wait.js';

export type ServiceKind = 'ingest' | 'mapper' | 'writer';

export class Instance {
  private child: ChildService | null = null;
  /** Restarts so far (for the report). */
  starts = 0;

  constructor(
    readonly kind: ServiceKind,
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    /** Where every incarnation's output is appended as it comes (for the post-mortem). */
    readonly logFile: string,
    private readonly onSpawn: (pid: number, marker: string) => void = () => undefined,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.child.exitCode === null && this.child.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.child.pid;
  }

  start(): void {
    if (this.running) return;
    const port = String(this.port);
    this.child = spawnService(this.kind, { ...this.env, ...(this.kind === 'ingest' ? { PORT: port } : { OPS_PORT: port }) });
    this.starts++;
    if (this.child.child.pid !== undefined) this.onSpawn(this.child.child.pid, `services/${this.kind}/src/main.ts`);
    appendFileSync(this.logFile, `--- ${this.name} start ${this.starts} (pid ${this.child.child.pid ?? '?'}) at ${new Date().toISOString()} ---\n`);
    const append = (chunk: Buffer): void => appendFileSync(this.logFile, chunk);
    this.child.child.stdout?.on('data', append);
    this.child.child.stderr?.on('data', append);
  }

  /** SIGKILL and wait for the exit. */
  async kill(): Promise<void> {
    await this.child?.stop('SIGKILL');
  }

  /** SIGTERM: the graceful path (the consumer leaves its group). */
  async terminate(): Promise<void> {
    await this.child?.stop('SIGTERM');
  }

  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.running) this.child?.child.kill(signal);
  }

  async ready(): Promise<boolean> {
    if (!this.running) return false;
    return fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
  }

  async alive(): Promise<boolean> {
    if (!this.running) return false;
    return fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(1000) }).then(
      async (res) => {
        await res.arrayBuffer();
        return res.status === 200;
      },
      () => false,
    );
  }

}

export class Fleet {
  readonly instances: Instance[] = [];
  private readonly counters = new Map<ServiceKind, number>();

  constructor(
    private readonly env: Record<string, string>,
    private readonly logDir: string,
    /** Hears every service process started (the run records them: `stack down` stops what a dead run left). */
    private readonly onSpawn?: (pid: number, marker: string) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  async add(kind: ServiceKind, port?: number): Promise<Instance> {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const name = `${kind}-${n}`;
    const instance = new Instance(kind, name, port ?? (await freePort()), this.env, path.join(this.logDir, `${name}.log`), this.onSpawn);
    this.instances.push(instance);
    instance.start();
    return instance;
  }

  live(kind: ServiceKind): Instance[] {
    return this.instances.filter((i) => i.kind === kind && i.running);
  }

  /** Takes an instance out for good (removed from the fleet, not restarted). */
  async remove(instance: Instance): Promise<void> {
    const at = this.instances.indexOf(instance);
    if (at >= 0) this.instances.splice(at, 1);
    await instance.terminate();
    this.retired.push(instance);
  }

  readonly retired: Instance[] = [];

  async waitReady(timeoutMs: number): Promise<void> {
    await waitFor('every service ready', async () => (await Promise.all(this.instances.map((i) => i.ready()))).every(Boolean), { timeoutMs, intervalMs: 250 });
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map(async (i) => {
      i.signal('SIGCONT');
      await i.terminate();
    }));
  }
}
