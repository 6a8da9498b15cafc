// Shopify's real Admin GraphQL schema (2026-10), taken from the introspection JSON that
// ships inside the npm package @shopify/dev-mcp. The package is not a dependency (it pulls in
// the Shopify CLI): on first use we `npm pack` it into a temp dir and extract only the one file
// into the project's gitignored .cache/.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { AccessRules } from './graphql/access.js';

const run = promisify(execFile);

export const ADMIN_API_VERSION = '2026-10';
const PACKAGE_SPEC = '@shopify/dev-mcp@1.16.0';
const FILE_IN_PACKAGE = `package/dist/data/admin_${ADMIN_API_VERSION}.json.gz`;

/** Project root, found from this module's location (simulator/ sits directly under it). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..');
}

/** Where the gzipped introspection JSON is cached. */
export function adminSchemaPath(): string {
  return join(projectRoot(), '.cache', 'shopify', `admin_${ADMIN_API_VERSION}.json.gz`);
}

async function downloadSchemaFile(target: string): Promise<void> {
  process.stderr.write(`[simulator] downloading Shopify Admin schema ${ADMIN_API_VERSION} from ${PACKAGE_SPEC}…\n`);
  const work = await mkdtemp(join(tmpdir(), 'shopify-schema-'));
  try {
    const { stdout } = await run('npm', ['pack', PACKAGE_SPEC, '--pack-destination', work, '--silent'], {
      maxBuffer: 16 * 1024 * 1024,
    });
    const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
    await run('tar', ['-xzf', tarball, '-C', work, FILE_IN_PACKAGE]);
    await mkdir(dirname(target), { recursive: true });
    // Rename into place so a concurrent reader never sees a half-written file.
    const staged = `${target}.${process.pid}.${randomUUID()}.tmp`;
    await copyFile(join(work, FILE_IN_PACKAGE), staged); // copy: the temp dir may be on another filesystem
    await rename(staged, target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface AdminApi {
  schema: GraphQLSchema;
  /** `requiredAccess` of fields and types, which the built schema does not keep. */
  access: AccessRules;
}

let cached: Promise<AdminApi> | undefined;

async function buildApi(): Promise<AdminApi> {
  const file = adminSchemaPath();
  if (!existsSync(file)) await downloadSchemaFile(file);
  const parsed = JSON.parse(gunzipSync(await readFile(file)).toString('utf8')) as
    | { data: IntrospectionQuery }
    | IntrospectionQuery;
  const introspection = 'data' in parsed ? parsed.data : parsed;
  return { schema: buildClientSchema(introspection), access: AccessRules.fromIntrospection(introspection.__schema.types) };
}

/** The Admin schema and its access rules, downloaded on first use and built once per process. */
export async function loadAdminApi(): Promise<AdminApi> {
  cached ??= buildApi().catch((error: unknown) => {
    cached = undefined; // let a later call retry instead of caching the failure
    throw error;
  });
  return cached;
}

/** The Admin schema, downloaded on first use and built once per process. */
export async function loadAdminSchema(): Promise<GraphQLSchema> {
  return (await loadAdminApi()).schema;
}
