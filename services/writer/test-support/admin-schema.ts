// The real Admin schema for tests: the simulator's loader when it exists, else the
// introspection JSON from @shopify/dev-mcp unpacked under /tmp/devmcp.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

const SIMULATOR_LOADER = fileURLToPath(new URL('../../../simulator/admin-schema.ts', import.meta.url));
const DEV_MCP_JSON = '/tmp/devmcp/package/dist/data/admin_2026-10.json.gz';

export async function loadTestAdminSchema(): Promise<GraphQLSchema> {
  if (existsSync(SIMULATOR_LOADER)) {
    const loader = (await import(SIMULATOR_LOADER)) as { loadAdminSchema: () => Promise<GraphQLSchema> };
    return loader.loadAdminSchema();
  }
  const json = JSON.parse(gunzipSync(readFileSync(DEV_MCP_JSON)).toString('utf8')) as
    | { data: IntrospectionQuery }
    | IntrospectionQuery;
  return buildClientSchema('data' in json ? json.data : json);
}
