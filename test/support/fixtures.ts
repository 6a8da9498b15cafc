// Project-wide fixtures: Shopify's own payload shapes (REST webhook bodies, GraphQL nodes) in fixtures/.
import { readFileSync } from 'node:fs';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}
