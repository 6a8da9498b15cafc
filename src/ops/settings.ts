// `draft-sync settings get|set|history`: the live connection settings from the command line,
// with the page's rules (the same save: validation, revision check, one transaction with the
// audit records, confirmation by every running mapper and writer).
import { findConnectionById, type AppConfig } from '../shared/config/index.js';
import type { Infra } from '../shared/infra.js';
import type { Logger } from '../shared/log.js';
import {
  followUps,
  fileDrift,
  LIVE_FIELDS,
  liveSettingsOf,
  readHistory,
  showValue,
  startLiveConfig,
  waitUntilApplied,
  type FieldChange,
  type FieldProblem,
  type FollowUp,
  type HistoryEntry,
  type LiveSettings,
} from '../live-settings/index.js';

export interface SettingsReport {
  readonly connectionId: string;
  readonly sourceShop: string;
  readonly destinationShop: string;
  /** null: not seeded yet, the file's values apply. */
  readonly revision: number | null;
  readonly changedBy: string | null;
  readonly changedAt: string | null;
  readonly settings: LiveSettings;
  /** Where the file says otherwise. */
  readonly drift: readonly string[];
}

export class SettingsInputError extends Error {}

export async function getSettings(infra: Infra, file: AppConfig, connectionId: string, logger: Logger): Promise<SettingsReport> {
  const connection = findConnectionById(file, connectionId);
  if (!connection) throw new SettingsInputError(`no connection ${connectionId} in the configuration`);
  const live = await startLiveConfig(infra, file, { logger, role: null, seed: false });
  try {
    const entry = live.entry(connectionId);
    const entries = entry ? new Map([[connectionId, entry]]) : new Map();
    return {
      connectionId,
      sourceShop: connection.sourceShop,
      destinationShop: connection.destinationShop,
      revision: entry?.revision ?? null,
      changedBy: entry?.changedBy ?? null,
      changedAt: entry ? new Date(entry.changedAt).toISOString() : null,
      settings: entry?.settings ?? liveSettingsOf(connection),
      drift: fileDrift(file, entries),
    };
  } finally {
    await live.stop();
  }
}

export function formatSettings(report: SettingsReport): string {
  const head = `connection ${report.connectionId} (${report.destinationShop} → ${report.sourceShop}): ` +
    (report.revision === null ? 'not seeded yet, the configuration file applies' : `revision ${report.revision}, by ${report.changedBy ?? '?'} at ${report.changedAt ?? '?'}`);
  const width = Math.max(...LIVE_FIELDS.map((f) => f.name.length));
  const lines = LIVE_FIELDS.map((f) => `  ${f.name.padEnd(width)}  ${showValue(f.name, report.settings[f.name]).padEnd(16)}  ${f.question}`);
  return [head, ...lines, ...report.drift.map((d) => `note: ${d}`)].join('\n') + '\n';
}

export type SetOutcome =
  | { readonly kind: 'saved'; readonly revision: number; readonly changes: readonly FieldChange[]; readonly following: readonly string[]; readonly behind: readonly string[]; readonly followUps: readonly FollowUp[] }
  | { readonly kind: 'unchanged'; readonly revision: number }
  | { readonly kind: 'invalid'; readonly problems: readonly FieldProblem[] }
  | { readonly kind: 'conflict'; readonly revision: number; readonly changedBy: string };

export interface SetRequest {
  readonly connectionId: string;
  readonly values: Readonly<Record<string, string>>;
  readonly by: string;
  readonly expectedRevision?: number;
  /** How long to wait for every running mapper and writer to confirm. */
  readonly waitMs: number;
}

export async function setSettings(infra: Infra, file: AppConfig, request: SetRequest, logger: Logger): Promise<SetOutcome> {
  const connection = findConnectionById(file, request.connectionId);
  if (!connection) throw new SettingsInputError(`no connection ${request.connectionId} in the configuration`);
  const live = await startLiveConfig(infra, file, { logger, role: null, seed: false });
  try {
    const result = await live.writer.save(file, {
      connectionId: request.connectionId,
      values: request.values,
      by: request.by,
      ...(request.expectedRevision !== undefined ? { expectedRevision: request.expectedRevision } : {}),
    });
    switch (result.kind) {
      case 'unknown-connection':
        throw new SettingsInputError(`no connection ${request.connectionId} in the configuration`);
      case 'invalid':
        return result;
      case 'conflict':
        return { kind: 'conflict', revision: result.entry.revision, changedBy: result.entry.changedBy };
      case 'unchanged':
        return { kind: 'unchanged', revision: result.entry.revision };
      case 'saved': {
        const confirmation = await waitUntilApplied(infra.redis(), infra.names.opsPrefix, result.entry.offset, request.waitMs);
        const history = result.changes.some((c) => c.field === 'draftOrderSync') ? await readHistory(infra, request.connectionId) : [];
        return {
          kind: 'saved',
          revision: result.entry.revision,
          changes: result.changes,
          following: confirmation.following.map((i) => i.instance),
          behind: confirmation.behind.map((i) => i.instance),
          followUps: followUps(connection, result.changes, history),
        };
      }
    }
  } finally {
    await live.stop();
  }
}

export function formatSetOutcome(connectionId: string, outcome: SetOutcome): string {
  switch (outcome.kind) {
    case 'invalid':
      return `refused, nothing was changed:\n${outcome.problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}\n`;
    case 'conflict':
      return `refused: connection ${connectionId} is at revision ${outcome.revision} (by ${outcome.changedBy}), not the one given; look again with settings get\n`;
    case 'unchanged':
      return `nothing changed: revision ${outcome.revision} stays in force\n`;
    case 'saved': {
      const lines = [`connection ${connectionId}: revision ${outcome.revision} saved`];
      for (const c of outcome.changes) lines.push(`  ${c.field}: ${showValue(c.field, c.from)} → ${showValue(c.field, c.to)}`);
      lines.push(`in force on ${outcome.following.length} running instance(s)${outcome.behind.length ? `; not confirmed yet by ${outcome.behind.join(', ')}` : ''}`);
      for (const f of outcome.followUps) lines.push(`${f.why}\n  ${f.command}`);
      return lines.join('\n') + '\n';
    }
  }
}

export function formatHistory(entries: readonly HistoryEntry[]): string {
  if (entries.length === 0) return 'no changes recorded\n';
  return entries.map((h) => `${h.at}  ${h.connectionId}  r${h.revision}  ${h.field}: ${h.from === null ? '(seeded)' : h.from} → ${h.to}  by ${h.by}`).join('\n') + '\n';
}
