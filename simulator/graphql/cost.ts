// Shopify's query cost, computed from the operation's AST against the schema before execution
// (the "requested" cost that is reserved from the bucket). Rules Shopify documents: scalars and
// enums 0, objects 1, connections 2 + first/last × the cost of one node, interfaces/unions the
// most expensive possible type, mutations 10 per mutation field.
import {
  getDirectiveValues,
  getNamedType,
  getArgumentValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export const MUTATION_COST = 10;
export const MAX_QUERY_COST = 1000;

export type Variables = Record<string, unknown>;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Variables;
}

/** Connection types are recognised by shape, as Shopify's Relay-style connections all share it. */
export function isConnectionType(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type) || !type.name.endsWith('Connection')) return false;
  const fields = type.getFields();
  return 'pageInfo' in fields && ('edges' in fields || 'nodes' in fields);
}

function isIncluded(ctx: CostContext, node: FieldNode | SelectionSetNode['selections'][number]): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, ctx.variables);
  if (skip?.['if'] === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, ctx.variables);
  return include?.['if'] !== false;
}

function conditionApplies(ctx: CostContext, typeName: string | undefined, runtime: GraphQLObjectType): boolean {
  if (!typeName || typeName === runtime.name) return true;
  const condition = ctx.schema.getType(typeName);
  return condition !== undefined && isAbstractType(condition) && ctx.schema.isSubType(condition, runtime);
}

/** graphql-js' CollectFields: response key → field nodes, for one concrete object type. */
function collectFields(
  ctx: CostContext,
  runtime: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  into = new Map<string, FieldNode[]>(),
  visited = new Set<string>(),
): Map<string, FieldNode[]> {
  for (const selection of selectionSet.selections) {
    if (!isIncluded(ctx, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      into.set(key, [...(into.get(key) ?? []), selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (conditionApplies(ctx, selection.typeCondition?.name.value, runtime)) {
        collectFields(ctx, runtime, selection.selectionSet, into, visited);
      }
    } else {
      const name = selection.name.value;
      const fragment = ctx.fragments[name];
      if (visited.has(name) || !fragment) continue;
      visited.add(name);
      if (conditionApplies(ctx, fragment.typeCondition.name.value, runtime)) {
        collectFields(ctx, runtime, fragment.selectionSet, into, visited);
      }
    }
  }
  return into;
}

function mergedSelectionSet(nodes: readonly FieldNode[]): SelectionSetNode {
  return { kind: Kind.SELECTION_SET, selections: nodes.flatMap((n) => n.selectionSet?.selections ?? []) };
}

function selectionCost(ctx: CostContext, type: GraphQLNamedType, selectionSet: SelectionSetNode): number {
  if (isLeafType(type)) return 0;
  const candidates = isAbstractType(type) ? ctx.schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
  let max = 0;
  for (const runtime of candidates) {
    let sum = 0;
    for (const nodes of collectFields(ctx, runtime, selectionSet).values()) {
      const first = nodes[0];
      if (!first) continue;
      const field = runtime.getFields()[first.name.value];
      if (field) sum += fieldCost(ctx, field, nodes);
    }
    max = Math.max(max, sum);
  }
  return max;
}

/** Page size a connection field asks for (`first` or `last`), 0 when neither is given. */
export function requestedPageSize(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Variables,
): number {
  try {
    const args = getArgumentValues(field, node, variables);
    const size = args['first'] ?? args['last'];
    return typeof size === 'number' && size > 0 ? size : 0;
  } catch {
    return 0; // invalid arguments fail at execution; they cost nothing here
  }
}

function connectionNodeCost(ctx: CostContext, connection: GraphQLObjectType, nodes: readonly FieldNode[]): number {
  const fields = connection.getFields();
  let perNode = 0;
  for (const [, group] of collectFields(ctx, connection, mergedSelectionSet(nodes))) {
    const name = group[0]?.name.value;
    if (name === 'nodes' && fields['nodes']) {
      perNode += 1 + selectionCost(ctx, getNamedType(fields['nodes'].type), mergedSelectionSet(group));
    } else if (name === 'edges' && fields['edges']) {
      const edgeType = getNamedType(fields['edges'].type);
      if (!isObjectType(edgeType)) continue;
      const nodeField = edgeType.getFields()['node'];
      if (!nodeField) continue;
      for (const [, edgeGroup] of collectFields(ctx, edgeType, mergedSelectionSet(group))) {
        if (edgeGroup[0]?.name.value !== 'node') continue;
        perNode += 1 + selectionCost(ctx, getNamedType(nodeField.type), mergedSelectionSet(edgeGroup));
      }
    }
  }
  return perNode;
}

function fieldCost(ctx: CostContext, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]): number {
  const first = nodes[0];
  if (!first || field.name.startsWith('__')) return 0;
  const type = getNamedType(field.type);
  if (isLeafType(type)) return 0;
  if (isConnectionType(type)) {
    return 2 + requestedPageSize(field, first, ctx.variables) * connectionNodeCost(ctx, type, nodes);
  }
  return 1 + selectionCost(ctx, type, mergedSelectionSet(nodes));
}

/** Requested cost of an operation: what Shopify reserves from the bucket before running it. */
export function requestedQueryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const ctx: CostContext = { schema, fragments, variables };
  const rootType = operation.operation === OperationTypeNode.MUTATION ? schema.getMutationType() : schema.getQueryType();
  if (!rootType) return 0;
  const rootFields = [...collectFields(ctx, rootType, operation.selectionSet).values()].filter(
    (nodes) => !nodes[0]?.name.value.startsWith('__'),
  );
  if (operation.operation === OperationTypeNode.MUTATION) return MUTATION_COST * rootFields.length;
  return selectionCost(ctx, rootType, operation.selectionSet);
}

/**
 * Points one resolved field adds to the actual cost: objects 1 each, connections 2 (their nodes
 * count as they resolve), edges/pageInfo and scalars nothing.
 */
export function resolvedValueCost(returnType: GraphQLNamedType, value: unknown): number {
  if (isLeafType(returnType) || value === null || value === undefined) return 0;
  if (isConnectionType(returnType)) return 2;
  if (returnType.name === 'PageInfo' || (returnType.name.endsWith('Edge') && isObjectType(returnType) && 'node' in returnType.getFields())) {
    return 0;
  }
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).length;
  return 1;
}
