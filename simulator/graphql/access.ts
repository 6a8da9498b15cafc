// Access-scope checks, driven by the schema itself: Shopify's introspection JSON carries a
// `requiredAccess` text on fields (e.g. draftOrderCreate) and on types (DraftOrder needs
// `read_draft_orders`), which buildClientSchema drops. A field is denied when the token holds
// none of the scopes its own requirement or its result type's requirement names; a connection
// field counts as returning its node type. The error is Shopify's ACCESS_DENIED, at that field.
import {
  getNamedType,
  GraphQLError,
  isAbstractType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
} from 'graphql';
import type { ScopeSet } from '../access/scopes.js';
import { isConnectionType } from './cost.js';

export const ACCESS_SCOPES_DOCS = 'https://shopify.dev/api/usage/access-scopes';

export interface Requirement {
  /** Shopify's wording, e.g. "`read_orders` access scope or `read_marketplace_orders` access scope." */
  text: string;
  /** Scopes named in the text; holding any one of them satisfies it. */
  anyOf: readonly string[];
}

interface RawField {
  name?: unknown;
  requiredAccess?: unknown;
}
interface RawType {
  name?: unknown;
  requiredAccess?: unknown;
  fields?: unknown;
}

/** Backticked scope names; requirements without any (e.g. "User session …") are not checked. */
export function parseRequirement(text: string): Requirement | undefined {
  const anyOf = [...text.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '').filter(Boolean);
  return anyOf.length ? { text, anyOf } : undefined;
}

export class AccessRules {
  private readonly memo = new Map<GraphQLObjectType, Map<string, readonly Requirement[]>>();

  constructor(
    private readonly fields: ReadonlyMap<string, Requirement>,
    private readonly types: ReadonlyMap<string, Requirement>,
  ) {}

  static none(): AccessRules {
    return new AccessRules(new Map(), new Map());
  }

  /** Reads `requiredAccess` from the raw `__schema.types` of an introspection result. */
  static fromIntrospection(types: readonly unknown[]): AccessRules {
    const fieldRules = new Map<string, Requirement>();
    const typeRules = new Map<string, Requirement>();
    for (const raw of types as RawType[]) {
      if (typeof raw.name !== 'string') continue;
      const own = typeof raw.requiredAccess === 'string' ? parseRequirement(raw.requiredAccess) : undefined;
      if (own) typeRules.set(raw.name, own);
      for (const field of Array.isArray(raw.fields) ? (raw.fields as RawField[]) : []) {
        const rule = typeof field.requiredAccess === 'string' ? parseRequirement(field.requiredAccess) : undefined;
        if (rule && typeof field.name === 'string') fieldRules.set(`${raw.name}.${field.name}`, rule);
      }
    }
    return new AccessRules(fieldRules, typeRules);
  }

  forType(name: string): Requirement | undefined {
    return this.types.get(name);
  }

  /** Requirements known before resolving: the field's own and its (node) type's. */
  staticRequirements(parent: GraphQLObjectType, fieldName: string, returnType: GraphQLNamedType): readonly Requirement[] {
    let byField = this.memo.get(parent);
    if (!byField) this.memo.set(parent, (byField = new Map<string, readonly Requirement[]>()));
    const cached = byField.get(fieldName);
    if (cached) return cached;
    const found: Requirement[] = [];
    const own = this.fields.get(`${parent.name}.${fieldName}`);
    if (own) found.push(own);
    const result = resultType(returnType);
    const typeRule = result && isObjectType(result) ? this.types.get(result.name) : undefined;
    if (typeRule) found.push(typeRule);
    byField.set(fieldName, found);
    return found;
  }
}

/** A connection stands for its nodes; other types for themselves. */
export function resultType(type: GraphQLNamedType): GraphQLNamedType | undefined {
  if (!isConnectionType(type)) return type;
  const fields = type.getFields();
  const nodes = fields['nodes'];
  if (nodes) return getNamedType(nodes.type);
  const edge = fields['edges'] ? getNamedType(fields['edges'].type) : undefined;
  const node = edge && isObjectType(edge) ? edge.getFields()['node'] : undefined;
  return node ? getNamedType(node.type) : undefined;
}

export function accessDenied(fieldName: string, requirement: Requirement): GraphQLError {
  return new GraphQLError(`Access denied for ${fieldName} field. Required access: ${requirement.text}`, {
    extensions: { code: 'ACCESS_DENIED', documentation: ACCESS_SCOPES_DOCS, requiredAccess: requirement.text },
  });
}

/** Throws ACCESS_DENIED before the field resolves (so a denied mutation changes nothing). */
export function checkFieldAccess(rules: AccessRules, scopes: ScopeSet, info: GraphQLResolveInfo): void {
  for (const requirement of rules.staticRequirements(info.parentType, info.fieldName, getNamedType(info.returnType))) {
    if (!scopes.hasAny(requirement.anyOf)) throw accessDenied(info.fieldName, requirement);
  }
}

/**
 * For fields typed by an interface or union (node, nodes): checks the resolved objects' own
 * types. A denied item of a list becomes an error at its index, the others still resolve.
 */
export function checkResolvedAccess(rules: AccessRules, scopes: ScopeSet, info: GraphQLResolveInfo, value: unknown): unknown {
  const named = getNamedType(info.returnType);
  if (!isAbstractType(named)) return value;
  const denial = (item: unknown): GraphQLError | undefined => {
    const typename = typeof item === 'object' && item !== null ? (item as { __typename?: unknown }).__typename : undefined;
    const requirement = typeof typename === 'string' ? rules.forType(typename) : undefined;
    return requirement && !scopes.hasAny(requirement.anyOf) ? accessDenied(info.fieldName, requirement) : undefined;
  };
  if (Array.isArray(value)) return value.map((item: unknown) => denial(item) ?? item);
  const denied = denial(value);
  if (denied) throw denied;
  return value;
}
