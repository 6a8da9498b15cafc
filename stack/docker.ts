// testcontainers provider, used only where a Docker engine answers (never on this machine).
import type { StartedTestContainer } from 'testcontainers';

export const KAFKA_IMAGE = 'confluentinc/cp-kafka:8.0.0';
export const REDIS_IMAGE = 'redis:7-alpine';
export const APICURIO_IMAGE = 'apicurio/apicurio-registry:3.3.3';

/** True when a container engine answers within ~5 s (a dead DOCKER_HOST can hang). */
export async function dockerAvailable(): Promise<boolean> {
  const choice = process.env.STACK_PROVIDER;
  if (choice === 'local') return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5_000).unref());
    await Promise.race([getContainerRuntimeClient(), timeout]);
    return true;
  } catch {
    if (choice === 'docker') throw new Error('STACK_PROVIDER=docker but no container engine answered');
    return false;
  }
}

export interface ContainerPart {
  readonly value: string;
  readonly container: StartedTestContainer;
}

export async function startKafkaContainer(): Promise<ContainerPart> {
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const c = await new KafkaContainer(KAFKA_IMAGE).withKraft().withExposedPorts(9093).start();
  return { value: `${c.getHost()}:${c.getMappedPort(9093)}`, container: c };
}

export async function startRedisContainer(): Promise<ContainerPart> {
  const { RedisContainer } = await import('@testcontainers/redis');
  const c = await new RedisContainer(REDIS_IMAGE).start();
  return { value: c.getConnectionUrl(), container: c };
}

export async function startApicurioContainer(): Promise<ContainerPart> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const c = await new GenericContainer(APICURIO_IMAGE)
    .withExposedPorts(8080)
    .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080))
    .start();
  return { value: `http://${c.getHost()}:${c.getMappedPort(8080)}/apis/ccompat/v7`, container: c };
}
