// The settings of a connection that can change while the services run, what each one means in
// plain words, and how a change of them is read and checked: with the very rules the
// configuration file is checked by (its zod schema), so the page, the CLI, the topic and the
// file cannot disagree on what is valid.
import type { ConnectionSettings } from '../domain/connection.js';
import { formatIssues } from '../domain/validation.js';
import { connectionFileSchema } from '../shared/config/schema.js';

/** Everything of a connection but its identity (id, source, destination: the file's alone). */
export type LiveSettings = Omit<ConnectionSettings, 'id' | 'sourceShop' | 'destinationShop'>;
export type LiveField = keyof LiveSettings;

export interface FieldChoice {
  readonly value: string;
  readonly label: string;
}

export interface FieldInfo {
  readonly name: LiveField;
  /** The question the settings page asks. */
  readonly question: string;
  readonly kind: 'yes-no' | 'choice' | 'origin-tag';
  readonly choices?: readonly FieldChoice[];
}

/** In the order the page shows them. */
export const LIVE_FIELDS: readonly FieldInfo[] = [
  { name: 'draftOrderSync', question: "Sync this store's draft orders", kind: 'yes-no' },
  { name: 'orderTrigger', question: 'Also create a draft when an order is placed', kind: 'yes-no' },
  { name: 'sendInvoice', question: 'Send an invoice of the synced draft', kind: 'yes-no' },
  { name: 'originTag', question: 'Origin tag (off, or a format with {shop})', kind: 'origin-tag' },
  {
    name: 'variantMatch',
    question: 'How products are matched',
    kind: 'choice',
    choices: [
      { value: 'sku', label: 'By SKU' },
      { value: 'barcode', label: 'By barcode' },
      { value: 'handle_options', label: 'By product handle and options' },
    ],
  },
  {
    name: 'unmapped',
    question: 'What to do with products that are not mapped',
    kind: 'choice',
    choices: [
      { value: 'skip', label: "Don't sync the draft" },
      { value: 'partial', label: 'Sync the mapped lines, note the rest' },
      { value: 'custom', label: 'Send them as custom lines' },
    ],
  },
  {
    name: 'prices',
    question: 'Prices',
    kind: 'choice',
    choices: [
      { value: 'source', label: "The source store's catalog prices" },
      { value: 'destination', label: "The destination's prices, carried over" },
    ],
  },
  {
    name: 'onCompleted',
    question: 'When the original draft is completed',
    kind: 'choice',
    choices: [
      { value: 'tag', label: 'Tag the copy' },
      { value: 'delete', label: 'Delete the copy' },
    ],
  },
  {
    name: 'onSourceEdited',
    question: 'When someone edited the copy in the source store',
    kind: 'choice',
    choices: [
      { value: 'flag', label: "Don't overwrite it: tag the copy and report it" },
      { value: 'overwrite', label: 'Overwrite their edit' },
      { value: 'keep', label: 'Keep their edit and stop syncing that copy' },
    ],
  },
];

const FIELD_NAMES = new Set<string>(LIVE_FIELDS.map((f) => f.name));

export function isLiveField(name: string): name is LiveField {
  return FIELD_NAMES.has(name);
}

/** The live part of a configured connection. */
export function liveSettingsOf(connection: ConnectionSettings): LiveSettings {
  const { id: _id, sourceShop: _source, destinationShop: _destination, ...live } = connection;
  return live;
}

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export type ParsedChanges = { readonly ok: true; readonly changes: Partial<LiveSettings> } | { readonly ok: false; readonly problems: readonly FieldProblem[] };

const YES = new Set(['true', 'yes', 'on']);
const NO = new Set(['false', 'no', 'off']);
const ORIGIN_TAG_OFF = new Set(['false', 'off', 'none', '']);

/** Words from a form or a command line → the value the file's schema checks; others pass as they are. */
function coerce(info: FieldInfo, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (info.kind === 'yes-no') return YES.has(word) ? true : NO.has(word) ? false : value;
  if (info.kind === 'origin-tag') return ORIGIN_TAG_OFF.has(word) ? false : value;
  return value.trim();
}

/**
 * Reads requested changes (field → value; words such as yes/no/off are understood). Every
 * problem is reported with its field, and any problem refuses the whole set: nothing is
 * half-applied.
 */
export function parseChanges(input: Readonly<Record<string, unknown>>): ParsedChanges {
  const problems: FieldProblem[] = [];
  const changes: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(input)) {
    const info = LIVE_FIELDS.find((f) => f.name === field);
    if (!info) {
      problems.push({ field, message: `not a connection setting (one of ${LIVE_FIELDS.map((f) => f.name).join(', ')})` });
      continue;
    }
    const parsed = connectionFileSchema.shape[info.name].safeParse(coerce(info, raw));
    if (parsed.success) changes[field] = parsed.data;
    else for (const message of formatIssues(parsed.error.issues)) problems.push({ field, message });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, changes };
}

const settingsSchema = connectionFileSchema.pick({
  draftOrderSync: true,
  orderTrigger: true,
  sendInvoice: true,
  originTag: true,
  variantMatch: true,
  unmapped: true,
  prices: true,
  onCompleted: true,
  onSourceEdited: true,
});

/** A whole set of settings (a topic record's), checked like the file; problems named by field. */
export function checkSettings(value: Readonly<Record<string, unknown>>): { ok: true; settings: LiveSettings } | { ok: false; problems: readonly string[] } {
  const parsed = settingsSchema.safeParse(value);
  return parsed.success ? { ok: true, settings: parsed.data } : { ok: false, problems: formatIssues(parsed.error.issues) };
}

export interface FieldChange {
  readonly field: LiveField;
  readonly from: LiveSettings[LiveField] | null;
  readonly to: LiveSettings[LiveField];
}

/** The fields whose value differs, in the page's order; `before` null: every field (seeding). */
export function diffSettings(before: LiveSettings | null, after: LiveSettings): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const { name } of LIVE_FIELDS) {
    if (before === null) changes.push({ field: name, from: null, to: after[name] });
    else if (before[name] !== after[name]) changes.push({ field: name, from: before[name], to: after[name] });
  }
  return changes;
}

/** How a value reads in the history, the CLI and the start-up report. */
export function showValue(field: LiveField, value: LiveSettings[LiveField] | null): string {
  if (value === null) return '(unset)';
  if (field === 'originTag' && value === false) return 'off';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}
