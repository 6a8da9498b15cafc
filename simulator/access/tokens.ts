// A shop's Admin API access tokens, each with its own scopes. A revoked token stays known so
// it is refused (401) rather than treated as a typo.
import { DEFAULT_SCOPES, ScopeSet } from './scopes.js';

export interface AccessTokenSpec {
  accessToken: string;
  /** Default: DEFAULT_SCOPES. */
  scopes?: readonly string[];
}

export interface AccessTokenInfo {
  accessToken: string;
  /** As granted (implied read scopes not repeated). */
  scopes: string[];
  revoked: boolean;
}

interface TokenState {
  scopes: ScopeSet;
  granted: string[];
  revoked: boolean;
}

export class AccessTokens {
  private readonly tokens = new Map<string, TokenState>();

  constructor(initial: readonly AccessTokenSpec[]) {
    for (const spec of initial) this.add(spec.accessToken, spec.scopes);
  }

  add(accessToken: string, scopes: readonly string[] = DEFAULT_SCOPES): AccessTokenInfo {
    if (!accessToken) throw new Error('an access token must not be empty');
    if (this.tokens.has(accessToken)) throw new Error(`access token ${accessToken} already exists`);
    this.tokens.set(accessToken, { scopes: new ScopeSet(scopes), granted: [...scopes], revoked: false });
    return this.info(accessToken);
  }

  setScopes(accessToken: string, scopes: readonly string[]): AccessTokenInfo {
    const state = this.state(accessToken);
    state.scopes = new ScopeSet(scopes);
    state.granted = [...scopes];
    return this.info(accessToken);
  }

  revoke(accessToken: string): AccessTokenInfo {
    this.state(accessToken).revoked = true;
    return this.info(accessToken);
  }

  /** The scopes of a usable token; undefined for unknown and revoked ones (→ 401). */
  authenticate(accessToken: string | undefined): ScopeSet | undefined {
    const state = accessToken === undefined ? undefined : this.tokens.get(accessToken);
    return state && !state.revoked ? state.scopes : undefined;
  }

  list(): AccessTokenInfo[] {
    return [...this.tokens.keys()].map((token) => this.info(token));
  }

  info(accessToken: string): AccessTokenInfo {
    const state = this.state(accessToken);
    return { accessToken, scopes: [...state.granted], revoked: state.revoked };
  }

  private state(accessToken: string): TokenState {
    const state = this.tokens.get(accessToken);
    if (!state) throw new Error(`unknown access token ${accessToken}`);
    return state;
  }
}
