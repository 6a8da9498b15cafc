// GraphQL errors the simulator raises itself (as opposed to graphql-js validation errors).
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';

export function notImplemented(info: GraphQLResolveInfo): GraphQLError {
  return new GraphQLError(
    `Field '${info.parentType.name}.${info.fieldName}' is not implemented by the Shopify simulator`,
    { extensions: { code: 'NOT_IMPLEMENTED_BY_SIMULATOR' } },
  );
}

export function argumentNotImplemented(name: string, value: unknown): GraphQLError {
  return new GraphQLError(`Argument ${name}: ${JSON.stringify(value)} is not implemented by the Shopify simulator`, {
    extensions: { code: 'NOT_IMPLEMENTED_BY_SIMULATOR' },
  });
}
