// One Admin GraphQL request against one store, the way Shopify processes it: parse and validate
// against the real schema, compute the requested cost, refuse above the single-query maximum,
// reserve from the bucket (or answer THROTTLED), execute (refusing fields the token's scopes do
// not reach with ACCESS_DENIED), refund the unused part, and report `extensions.cost` on every
// answer.
import {
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql';
import type { LeakyBucket, ThrottleStatus } from '../core/leaky-bucket.js';
import { checkFieldAccess, checkResolvedAccess, type AccessRules } from './access.js';
import type { RequestContext } from './context.js';
import { MAX_QUERY_COST, requestedQueryCost, resolvedValueCost } from './cost.js';
import { notImplemented } from './errors.js';
import { mutationRoot, queryRoot } from './root.js';

export const RATE_LIMIT_DOCS = 'https://shopify.dev/api/usage/rate-limits';

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export interface AdminGraphQLResponse {
  status: number;
  body: {
    data?: unknown;
    errors?: unknown;
    extensions?: { cost: CostExtension; search?: unknown };
  };
  operationType?: 'query' | 'mutation';
  throttled: boolean;
}

/** Everything about the request that is known before execution, for fault decisions. */
export interface PreparedRequest {
  operationType: 'query' | 'mutation';
  run: () => AdminGraphQLResponse;
}

type Prepared = { ok: true; prepared: PreparedRequest } | { ok: false; response: AdminGraphQLResponse };

const documentCache = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();
const DOCUMENT_CACHE_LIMIT = 500;

/** Parse + validate once per distinct query text (clients send the same few documents). */
function parsedDocument(schema: GraphQLSchema, query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  const cached = documentCache.get(query);
  if (cached) return cached;
  let result: { document: DocumentNode } | { errors: readonly GraphQLError[] };
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    result = errors.length ? { errors } : { document };
  } catch (error: unknown) {
    result = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
  }
  if (documentCache.size >= DOCUMENT_CACHE_LIMIT) documentCache.clear();
  documentCache.set(query, result);
  return result;
}

/** Resolves only keys the view has (others fail by name), after the token's access check. */
function strictFieldResolver(access: AccessRules): GraphQLFieldResolver<unknown, RequestContext> {
  return (source, args, context, info) => {
    checkFieldAccess(access, context.scopes, info);
    if (typeof source === 'object' && source !== null && Object.hasOwn(source, info.fieldName)) {
      const raw: unknown = (source as Record<string, unknown>)[info.fieldName];
      const value: unknown = checkResolvedAccess(access, context.scopes, info, typeof raw === 'function' ? (raw as (a: unknown) => unknown)(args) : raw);
      context.countedCost += resolvedValueCost(getNamedType(info.returnType), value);
      return value;
    }
    throw notImplemented(info);
  };
}

const typenameResolver: GraphQLTypeResolver<unknown, RequestContext> = (value) => {
  const name = typeof value === 'object' && value !== null ? (value as { __typename?: unknown }).__typename : undefined;
  return typeof name === 'string' ? name : undefined;
};

function formatErrors(errors: readonly GraphQLError[]): unknown[] {
  return errors.map((e) => e.toJSON());
}

export interface RequestEnvironment {
  schema: GraphQLSchema;
  /** Scope requirements of the schema's fields and types. */
  access: AccessRules;
  bucket: LeakyBucket;
  context: () => RequestContext;
}

/** Parses, validates and prices a request; `run()` then reserves budget and executes. */
export function prepareAdminRequest(env: RequestEnvironment, body: GraphQLRequestBody): Prepared {
  const { schema, bucket } = env;
  const answer = (status: number, payload: AdminGraphQLResponse['body'], requested = 0): Prepared => ({
    ok: false,
    response: {
      status,
      body: { ...payload, extensions: { cost: { requestedQueryCost: requested, actualQueryCost: 0, throttleStatus: bucket.status() } } },
      throttled: false,
    },
  });

  if (typeof body.query !== 'string' || !body.query.trim()) {
    return { ok: false, response: { status: 400, body: { errors: { query: 'Required parameter missing or invalid' } }, throttled: false } };
  }
  const parsed = parsedDocument(schema, body.query);
  if ('errors' in parsed) return answer(200, { errors: formatErrors(parsed.errors) });
  const { document } = parsed;

  const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    const message = operationName ? `Unknown operation named "${operationName}".` : 'Must provide operation name if query contains multiple operations.';
    return answer(200, { errors: [{ message }] });
  }
  if (operation.operation === OperationTypeNode.SUBSCRIPTION) return answer(200, { errors: [{ message: 'Subscriptions are not supported' }] });

  const rawVariables = typeof body.variables === 'object' && body.variables !== null ? (body.variables as Record<string, unknown>) : {};
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables);
  if (coerced.errors) return answer(200, { errors: formatErrors(coerced.errors) });
  const variables = coerced.coerced;

  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments[def.name.value] = def;
  const requested = requestedQueryCost(schema, operation, fragments, variables);
  const operationType = operation.operation === OperationTypeNode.MUTATION ? 'mutation' : 'query';

  if (requested > MAX_QUERY_COST) {
    return answer(
      200,
      {
        errors: [
          {
            message:
              `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
              'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
              'cost of a query is calculated.\n\n' +
              'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
              'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_QUERY_COST, documentation: RATE_LIMIT_DOCS },
          },
        ],
      },
      requested,
    );
  }

  const run = (): AdminGraphQLResponse => {
    if (!bucket.tryReserve(requested)) {
      return {
        status: 200,
        operationType,
        throttled: true,
        body: {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: RATE_LIMIT_DOCS } }],
          extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: bucket.status() } },
        },
      };
    }
    const context = env.context();
    const rootValue = operationType === 'mutation' ? mutationRoot(context) : queryRoot(context);
    const result = execute({
      schema,
      document,
      rootValue,
      contextValue: context,
      variableValues: variables,
      operationName,
      fieldResolver: strictFieldResolver(env.access),
      typeResolver: typenameResolver,
    }) as ExecutionResult; // every resolver is synchronous
    const actual = operationType === 'mutation' ? requested : Math.min(requested, context.countedCost);
    bucket.refund(requested - actual);
    const extensions: NonNullable<AdminGraphQLResponse['body']['extensions']> = {
      cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: bucket.status() },
    };
    if (context.searchReports.length) extensions.search = context.searchReports;
    return {
      status: 200,
      operationType,
      throttled: false,
      body: {
        ...(result.errors?.length ? { errors: formatErrors(result.errors) } : {}),
        data: result.data ?? null,
        extensions,
      },
    };
  };
  return { ok: true, prepared: { operationType, run } };
}
