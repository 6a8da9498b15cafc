// A subscription's includeFields applied to a webhook body: only the listed fields stay. A
// dotted path reaches into a nested object, and into every element of an array
// ("line_items.sku"), as Shopify documents for payload modification.

type Tree = Map<string, Tree | true>;

function tree(paths: readonly string[]): Tree {
  const root: Tree = new Map();
  for (const path of paths) {
    let node = root;
    const parts = path.split('.').filter(Boolean);
    parts.forEach((part, i) => {
      const existing = node.get(part);
      if (existing === true) return; // a parent already includes everything below
      if (i === parts.length - 1) {
        node.set(part, true);
        return;
      }
      const child: Tree = existing ?? new Map<string, Tree | true>();
      node.set(part, child);
      node = child;
    });
  }
  return root;
}

function project(value: unknown, fields: Tree): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => project(item, fields));
  if (typeof value !== 'object' || value === null) return value; // e.g. a null address
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const wanted = fields.get(key);
    if (wanted === true) out[key] = item;
    else if (wanted) out[key] = project(item, wanted);
  }
  return out;
}

/** The body restricted to `fields` (key order as in the body); all of it when `fields` is empty. */
export function projectFields(body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return fields.length ? (project(body, tree(fields)) as Record<string, unknown>) : body;
}
