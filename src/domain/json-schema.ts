// JSON Schema checks for the bodies validated at the mapper's full rate (REST webhooks): ajv
// compiles a schema into one function that checks the parsed body in place, ~10× cheaper
// than a zod parse, which copies every object it walks. zod stays for the rest (config,
// GraphQL, products). Failures read like the zod ones (validation.ts):
// `line_items[1].quantity: expected a positive integer`.
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { formatPath } from './validation.js';

/**
 * Annotation: what a failure of this (sub)schema means to the sender. A string, or per ajv
 * keyword (`*` for any other), e.g. `{ maximum: 'id above 2^53 …', '*': 'expected a numeric id' }`.
 */
type Reason = string | Readonly<Record<string, string>>;

const ajv = new Ajv({ allErrors: false, verbose: true, strict: true, allowUnionTypes: true });
ajv.addKeyword({ keyword: 'reason', schemaType: ['string', 'object'] });
/** Parses as a date (Shopify sends ISO-8601 with offsets); normalised to UTC afterwards. */
ajv.addFormat('timestamp', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });

export type BodyCheck<T> = (body: unknown) => { ok: true; value: T } | { ok: false; reason: string };

/** Compiles `schema` once. The type is the caller's word for what the schema admits. */
export function compileBodyCheck<T>(schema: SchemaObject): BodyCheck<T> {
  const validate = ajv.compile<T>(schema);
  return (body) => {
    if (validate(body)) return { ok: true, value: body };
    const [first] = validate.errors ?? [];
    return { ok: false, reason: first ? reasonOf(first) : 'invalid input' };
  };
}

/** `verbose` errors carry the failing subschema (for its reason) and value (for its kind). */
function reasonOf(error: ErrorObject): string {
  const path: (string | number)[] = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  let problem: string;
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    path.push(missing);
    const property = (error.parentSchema?.properties as Record<string, SchemaObject> | undefined)?.[missing];
    problem = annotated(property?.reason as Reason | undefined, 'required') ?? 'required';
  } else {
    problem = annotated(error.parentSchema?.reason as Reason | undefined, error.keyword) ?? defaultProblem(error);
  }
  const where = formatPath(path);
  return where === '' ? problem : `${where}: ${problem}`;
}

function annotated(reason: Reason | undefined, keyword: string): string | undefined {
  if (reason === undefined || typeof reason === 'string') return reason;
  return reason[keyword] ?? reason['*'];
}

function defaultProblem(error: ErrorObject): string {
  switch (error.keyword) {
    case 'type':
      return `expected ${String(error.params.type).replace(/,/g, ' or ')}, received ${kindOf(error.data)}`;
    case 'enum':
      return `expected one of ${(error.params.allowedValues as unknown[]).map(String).join('|')}`;
    default:
      return error.message ?? 'invalid value';
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
