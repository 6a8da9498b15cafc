// Live connection settings: a compacted, schema-registered topic keyed by connection id holds
// each connection's settings in force (seeded from the configuration file), an audit topic every
// change; mapper and writer follow them while they run.
export { AppliedReporter, runningInstances, waitUntilApplied, type Confirmation, type InstanceReport, type InstanceRole } from './applied.js';
export { effectiveConfig, fileDrift } from './effective.js';
export { diffSettings, isLiveField, LIVE_FIELDS, liveSettingsOf, parseChanges, showValue, type FieldChange, type FieldInfo, type FieldProblem, type LiveField, type LiveSettings } from './fields.js';
export { followUps, type FollowUp } from './follow-ups.js';
export { historyEntry, readHistory, type HistoryEntry } from './history.js';
export { readLiveConfig, startLiveConfig, type LiveConfig, type LiveConfigOptions } from './live-config.js';
export { SEEDED_BY, type LiveEntry } from './record.js';
export { SettingsFollower } from './settings-follower.js';
export { SettingsWriter, type SaveRequest, type SaveResult } from './settings-writer.js';
export { judgeByLiveSettings, judgedByLiveSettings } from './writer-judgement.js';
