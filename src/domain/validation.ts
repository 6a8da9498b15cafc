// Turns zod issues into one-line reasons such as `line_items[2].quantity: expected a positive integer`,
// the form used in DLQ records and start-up errors.
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type PathSegment = PropertyKey;

/** `['line_items', 2, 'quantity']` → `line_items[2].quantity`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function problemOf(issue: Issue, isRoot: boolean): string {
  switch (issue.code) {
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join('|')}`;
    case 'invalid_type': {
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      if (issue.message.endsWith('received undefined') && !isRoot) return 'required';
      return issue.message.replace(/^Invalid input: /, '');
    }
    case 'invalid_union':
      return issue.message === 'Invalid input' ? 'invalid value' : issue.message;
    default:
      return issue.message;
  }
}

/** One line per issue, prefixed with its path; unknown keys are named one by one. */
export function formatIssues(issues: readonly Issue[], basePath: readonly PathSegment[] = []): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) lines.push(`${formatPath([...path, key])}: unknown field`);
      continue;
    }
    const where = formatPath(path);
    lines.push(where === '' ? problemOf(issue, true) : `${where}: ${problemOf(issue, false)}`);
  }
  return lines;
}

/** The first issue as a reason (the most useful one for a DLQ record). */
export function firstIssueReason(error: z.ZodError): string {
  return formatIssues(error.issues)[0] ?? 'invalid input';
}
