// Request bodies for OpenID Connect identities: a claimMatch (or, with --issuer-keys, static)
// rule from the rule flags, and the presets that write it for GitHub Actions, GitLab CI and
// IAM users. Presets write anchored, escaped patterns on stable claims.

import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';
import type { CommandInput } from './command-input.js';
import type { ClaimMatchRule } from '../trust/trust-rule.js';
import { escapeRe2 } from './identity-body.js';

/** A claimMatch or static rule in the API's camelCase (the server's own rule shape). */
export type OidcRule = ClaimMatchRule & { issuerKeys?: unknown; expiration?: string };

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

const PAIRS = [
  ['identity-issuer', 'identity-issuer-pattern', 'issuer', 'issuerPattern'],
  ['subject', 'subject-pattern', 'subject', 'subjectPattern'],
  ['audience', 'audience-pattern', 'audience', 'audiencePattern'],
] as const;

function claimMap(input: CommandInput, flag: string): Record<string, string> | undefined {
  const values = input.all(flag);
  if (!values.length) return undefined;
  const out: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf(':');
    if (at <= 0) throw new CliError('USAGE', `--${flag} must be NAME:${flag === 'claim' ? 'VALUE' : 'PATTERN'}, e.g. --${flag} ref:${flag === 'claim' ? 'refs/heads/main' : '^refs/tags/v.*$'}`);
    out[v.slice(0, at)] = v.slice(at + 1);
  }
  return out;
}

/** The changes the rule flags make, and whether they make a static rule; undefined when none given. */
export async function oidcRuleChanges(input: CommandInput): Promise<{ rule: OidcRule; isStatic: boolean } | undefined> {
  const rule: OidcRule = {};
  for (const [exact, pattern, field, patternField] of PAIRS) {
    if (input.has(exact) && input.has(pattern)) throw new CliError('USAGE', `give --${exact} or --${pattern}, not both`);
    const e = input.string(exact);
    const p = input.string(pattern);
    if (e !== undefined) rule[field] = e;
    if (p !== undefined) rule[patternField] = p;
  }
  const claims = claimMap(input, 'claim');
  const claimPatterns = claimMap(input, 'claim-pattern');
  if (claims) rule.claims = claims;
  if (claimPatterns) rule.claimPatterns = claimPatterns;
  const keysFile = input.string('issuer-keys');
  if (keysFile !== undefined) {
    let text: string;
    try {
      text = await readFile(keysFile, 'utf8');
    } catch (err) {
      throw new CliError('INPUT_INVALID', `cannot read --issuer-keys ${keysFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    try {
      rule.issuerKeys = JSON.parse(text);
    } catch {
      throw new CliError('INPUT_INVALID', `--issuer-keys ${keysFile} is not JSON: give the issuer's JWKS, e.g. from \`kubectl get --raw /openid/v1/jwks\``);
    }
  }
  const expiration = input.string('expiration');
  if (expiration !== undefined) rule.expiration = expiration;
  if (Object.keys(rule).length === 0) return undefined;
  const isStatic = rule.issuerKeys !== undefined || rule.expiration !== undefined;
  return { rule, isStatic };
}

/** `base` with `changes` applied: an exact value drops the pattern of its pair, and back. */
export function applyOidcRuleChanges(base: OidcRule, changes: OidcRule): OidcRule {
  const out: OidcRule = { ...base, ...changes };
  for (const [, , field, patternField] of PAIRS) {
    if (changes[field] !== undefined) delete out[patternField];
    if (changes[patternField] !== undefined) delete out[field];
  }
  for (const name of Object.keys(changes.claims ?? {})) if (out.claimPatterns) delete out.claimPatterns[name];
  for (const name of Object.keys(changes.claimPatterns ?? {})) if (out.claims) delete out.claims[name];
  if (changes.claims) out.claims = { ...base.claims, ...changes.claims };
  if (changes.claimPatterns) out.claimPatterns = { ...base.claimPatterns, ...changes.claimPatterns };
  return out;
}

const anchored = (s: string) => `^${escapeRe2(s)}$`;
const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * GitHub Actions: the repository (and the repository and owner ids when given, which a
 * renamed or re-created repository does not keep) and the ref, on their own claims rather than
 * on `sub`, whose format GitHub lets organizations change.
 */
export function githubRule(spec: { repo: string; ref?: string; audience?: string; repoId?: string; ownerId?: string; issuer?: string }): OidcRule {
  if (!REPO.test(spec.repo)) throw new CliError('USAGE', `--github-repo must be OWNER/REPO, not "${spec.repo}"`);
  const claimPatterns: Record<string, string> = { repository: anchored(spec.repo) };
  if (spec.ref !== undefined) {
    if (!/^refs\/(heads|tags|pull)\/\S+$/.test(spec.ref)) throw new CliError('USAGE', `--github-ref must be a full ref such as refs/heads/main, not "${spec.ref}"`);
    claimPatterns.ref = anchored(spec.ref);
  }
  for (const [flag, claim, v] of [['--github-repo-id', 'repository_id', spec.repoId], ['--github-owner-id', 'repository_owner_id', spec.ownerId]] as const) {
    if (v === undefined) continue;
    if (!/^\d{1,20}$/.test(v)) throw new CliError('USAGE', `${flag} must be a number, not "${v}"`);
    claimPatterns[claim] = anchored(v);
  }
  return { issuer: spec.issuer ?? GITHUB_ISSUER, ...(spec.audience ? { audience: spec.audience } : {}), claimPatterns };
}

/** GitLab CI: the project path, and the ref type and ref when given. */
export function gitlabRule(spec: { projectPath: string; refType?: string; ref?: string; issuer?: string; audience?: string }): OidcRule {
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(spec.projectPath)) {
    throw new CliError('USAGE', `--project-path must be GROUP/PROJECT (subgroups allowed), not "${spec.projectPath}"`);
  }
  const claimPatterns: Record<string, string> = { project_path: anchored(spec.projectPath) };
  if (spec.refType !== undefined) {
    if (spec.refType !== 'branch' && spec.refType !== 'tag') throw new CliError('USAGE', '--ref-type must be branch or tag');
    claimPatterns.ref_type = anchored(spec.refType);
  }
  if (spec.ref !== undefined) claimPatterns.ref = anchored(spec.ref);
  return { issuer: spec.issuer ?? GITLAB_ISSUER, ...(spec.audience ? { audience: spec.audience } : {}), claimPatterns };
}
