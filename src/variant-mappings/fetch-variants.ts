// Reads every variant of a store through the Admin GraphQL API, page by page. The request
// function is injected (an @shopify/admin-api-client requester built elsewhere, which owns
// throttling and retries), so this module only knows the query and the response shape.
import { z } from 'zod';
import { idOrGid, optionalText } from '../domain/fields.js';
import type { VariantKeys } from '../domain/product.js';
import { firstIssueReason } from '../domain/validation.js';
import { DosError } from '../shared/errors.js';
import type { GraphqlRequest } from '../shared/graphql-request.js';

export type { GraphqlRequest };

/** Each variant node costs ~3 points (variant, product, options): 250 per page stays under 1000. */
export const VARIANTS_PAGE_SIZE = 250;

export const PRODUCT_VARIANTS_QUERY = `query MappingProductVariants($first: Int!, $after: String) {
  productVariants(first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      legacyResourceId
      sku
      barcode
      selectedOptions { name value }
      product { id legacyResourceId handle }
    }
  }
}`;

const pageSchema = z.object({
  productVariants: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
    nodes: z.array(
      z.object({
        legacyResourceId: idOrGid,
        sku: optionalText,
        barcode: optionalText,
        selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
        product: z.object({ legacyResourceId: idOrGid, handle: optionalText }),
      }),
    ),
  }),
});

export interface VariantFetchProgress {
  readonly pages: number;
  readonly variants: number;
  readonly done: boolean;
}

/** A listing page that is not what the query asks for (retrying returns the same). */
export class VariantFetchError extends DosError {
  constructor(message: string) {
    super('VARIANT_LISTING_INVALID', message);
  }
}

export async function fetchAllVariants(
  request: GraphqlRequest,
  options: { pageSize?: number; onProgress?: (progress: VariantFetchProgress) => void } = {},
): Promise<VariantKeys[]> {
  const first = options.pageSize ?? VARIANTS_PAGE_SIZE;
  const variants: VariantKeys[] = [];
  let after: string | null = null;
  for (let pages = 1; ; pages++) {
    const data = await request(PRODUCT_VARIANTS_QUERY, { first, after });
    const parsed = pageSchema.safeParse(data);
    if (!parsed.success) throw new VariantFetchError(`productVariants page ${pages}: ${firstIssueReason(parsed.error)}`);
    const { nodes, pageInfo } = parsed.data.productVariants;
    for (const node of nodes) {
      variants.push({
        variantId: node.legacyResourceId,
        productId: node.product.legacyResourceId,
        sku: node.sku,
        barcode: node.barcode,
        productHandle: node.product.handle,
        options: node.selectedOptions.map(({ name, value }) => ({ name, value })),
      });
    }
    const done = !pageInfo.hasNextPage;
    options.onProgress?.({ pages, variants: variants.length, done });
    if (done) return variants;
    if (!pageInfo.endCursor) throw new VariantFetchError(`productVariants page ${pages}: hasNextPage without endCursor`);
    after = pageInfo.endCursor;
  }
}
