// Issue 10's generated matrix, on both backends: callers holding the built-in roles and a few
// custom roles, bound at the organization, at a folder and at its sibling, try every IAM write
// aimed at their own group, a child, the parent and a sibling (through the whole HTTP stack).
//
// Two independent checks per write:
// 1. The decision equals a reference model of the rules written out here, apart from the code
//    (grant, define, act as, unbind, and each route's own capability) — so removing the rule
//    from any one write makes an "allowed" appear where the model says "denied".
// 2. The invariant, whatever the model says: after an allowed write, nothing anyone holds
//    (identities, invitations, role definitions) is new unless the caller held it, on that
//    group, before — where "the caller" is every identity the attacker can assume (every
//    identity whose rule matches the attacker's AWS role, including ones it just rewrote).
// A denied write must change nothing at all.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BUILTIN_ROLES, CAPABILITIES, OPERATOR, builtinRoleId, isSelfOrAncestor,
  type Capability, type Group, type Identity, type Role,
} from '../src/iam/index.js';
import { backends } from './support/backends.js';
import { startTestServer, type TestServer } from './support/test-server.js';

const ATTACKER = '111122223333';
const VICTIM = '999988887777';
const attackerRule = { aws_account: ATTACKER, arn: `arn:aws:sts::${ATTACKER}:assumed-role/attacker/i-1` , userIdPattern: '^AROA[A-Z0-9]+:i-1$' };
const victimRule = { aws_account: VICTIM, arn: `arn:aws:sts::${VICTIM}:assumed-role/victim/i-2`, userIdPattern: '^AROA[A-Z0-9]+:i-2$' };
const ATTACKER_EMAIL = 'mallory@evil.example';

const capsOf = (name: string): Capability[] => [...BUILTIN_ROLES.find((r) => r.name === name)!.capabilities];

/** The callers' roles: built-in, and custom ones that each hold one kind of write power. */
const CUSTOM: Record<string, Capability[]> = {
  binder: ['role_bindings.create', 'role_bindings.update', 'role_bindings.delete', 'role_bindings.list', 'groups.list'],
  definer: ['roles.create', 'roles.update', 'roles.delete', 'roles.list', 'groups.list'],
  actor: ['identity.create', 'identity.update', 'identity.delete', 'identity.list', 'role_bindings.delete', 'groups.list'],
};
const CALLER_ROLES = ['viewer', 'editor', 'owner', ...Object.keys(CUSTOM)];

type Power = Array<{ group: string; caps: readonly Capability[] }>;
const holds = (p: Power, cap: Capability, group: string) => p.some((b) => isSelfOrAncestor(b.group, group) && b.caps.includes(cap));
const holdsAll = (p: Power, caps: readonly Capability[], group: string) => caps.every((c) => holds(p, c, group));

/** Everything a write could change, within one organization. */
interface Snapshot {
  /** identity id → its rule's account, and what it holds. */
  identities: Map<string, { account: string; name: string; power: Power }>;
  /** email → what its invitations would give. */
  invitations: Map<string, Power>;
  /** role id → its group and capabilities. */
  roles: Map<string, { group: string | null; caps: Capability[] }>;
  groups: Map<string, string>;
}

interface Fixture {
  T: string;
  /** A fresh folder under T, with a victim identity bound viewer in it. */
  D?: string;
  /** A fresh victim identity in T, bound `role` on `on`. */
  V?: Identity;
  R?: Role;
  bindingId?: string;
  invitationId?: string;
}

interface Write {
  name: string;
  setup?: (s: TestServer, T: string, org: string) => Promise<Omit<Fixture, 'T'>>;
  request: (f: Fixture) => { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; url: string; payload?: unknown };
  /** The reference model: may a caller holding `p` do it? */
  allowed: (p: Power, f: Fixture, org: string) => boolean;
}

const victim = async (s: TestServer, T: string, role?: string, on = T): Promise<Identity> => {
  const { identity } = await s.iam.identities.create(OPERATOR, T, { name: `v-${Math.random().toString(16).slice(2, 8)}`, awsIdentity: victimRule });
  if (role) await s.iam.bindings.create(OPERATOR, on, { identity: identity.id, role: builtinRoleId(role) });
  return identity;
};

const WRITES: Write[] = [
  { name: 'group create', request: (f) => ({ method: 'POST', url: `/iam/v1/groups/${f.T}`, payload: { name: 'new' } }),
    allowed: (p, f) => holds(p, 'groups.create', f.T) },
  { name: 'group update', request: (f) => ({ method: 'PUT', url: `/iam/v1/groups/${f.T}`, payload: { description: 'renamed' } }),
    allowed: (p, f) => holds(p, 'groups.update', f.T) },
  { name: 'group delete',
    setup: async (s, T) => {
      const D = (await s.iam.groups.createFolder(OPERATOR, T, { name: 'doomed' })).id;
      await victim(s, D, 'viewer');
      return { D };
    },
    request: (f) => ({ method: 'DELETE', url: `/iam/v1/groups/${f.D}` }),
    allowed: (p, f) => holdsAll(p, ['groups.delete', 'role_bindings.delete'], f.D!) },
  { name: 'identity create', request: (f) => ({ method: 'POST', url: `/iam/v1/identities/${f.T}`, payload: { name: 'mine', awsIdentity: attackerRule } }),
    allowed: (p, f) => holds(p, 'identity.create', f.T) },
  { name: 'identity rule change (bound owner here)',
    setup: async (s, T) => ({ V: await victim(s, T, 'owner') }),
    request: (f) => ({ method: 'PUT', url: `/iam/v1/identities/${f.V!.id}`, payload: { awsIdentity: attackerRule } }),
    allowed: (p, f) => holds(p, 'identity.update', f.T) && holdsAll(p, capsOf('owner'), f.T) },
  { name: 'identity rule change (bound editor at the organization)',
    setup: async (s, T, org) => ({ V: await victim(s, T, 'editor', org) }),
    request: (f) => ({ method: 'PUT', url: `/iam/v1/identities/${f.V!.id}`, payload: { awsIdentity: attackerRule } }),
    allowed: (p, f, org) => holds(p, 'identity.update', f.T) && holdsAll(p, capsOf('editor'), org) },
  { name: 'identity rename (bound owner here)',
    setup: async (s, T) => ({ V: await victim(s, T, 'owner') }),
    request: (f) => ({ method: 'PUT', url: `/iam/v1/identities/${f.V!.id}`, payload: { name: 'renamed', description: 'd' } }),
    allowed: (p, f) => holds(p, 'identity.update', f.T) },
  { name: 'identity delete (bound viewer here)',
    setup: async (s, T) => ({ V: await victim(s, T, 'viewer') }),
    request: (f) => ({ method: 'DELETE', url: `/iam/v1/identities/${f.V!.id}` }),
    allowed: (p, f) => holdsAll(p, ['identity.delete', 'role_bindings.delete'], f.T) },
  { name: 'role create (every capability)', request: (f) => ({ method: 'POST', url: `/iam/v1/roles/${f.T}`, payload: { name: 'all', capabilities: [...CAPABILITIES] } }),
    allowed: (p, f) => holds(p, 'roles.create', f.T) && holdsAll(p, CAPABILITIES, f.T) },
  { name: 'role create (viewer capabilities)', request: (f) => ({ method: 'POST', url: `/iam/v1/roles/${f.T}`, payload: { name: 'look', capabilities: capsOf('viewer') } }),
    allowed: (p, f) => holds(p, 'roles.create', f.T) && holdsAll(p, capsOf('viewer'), f.T) },
  { name: 'role update (to every capability, bound to someone here)',
    setup: async (s, T) => {
      const R = await s.iam.roles.create(OPERATOR, T, { name: 'small', capabilities: ['groups.list'] });
      const V = await victim(s, T);
      await s.iam.bindings.create(OPERATOR, T, { identity: V.id, role: R.id });
      return { R, V };
    },
    request: (f) => ({ method: 'PUT', url: `/iam/v1/roles/${f.R!.id}`, payload: { capabilities: [...CAPABILITIES] } }),
    allowed: (p, f) => holds(p, 'roles.update', f.T) && holdsAll(p, CAPABILITIES, f.T) },
  { name: 'role delete',
    setup: async (s, T) => ({ R: await s.iam.roles.create(OPERATOR, T, { name: 'gone', capabilities: ['groups.list'] }) }),
    request: (f) => ({ method: 'DELETE', url: `/iam/v1/roles/${f.R!.id}` }),
    allowed: (p, f) => holds(p, 'roles.delete', f.T) },
  { name: 'binding create (owner, to an identity it can assume)',
    setup: async (s, T) => ({ V: (await s.iam.identities.create(OPERATOR, T, { name: 'puppet', awsIdentity: attackerRule })).identity }),
    request: (f) => ({ method: 'POST', url: `/iam/v1/rolebindings/${f.T}`, payload: { identity: f.V!.id, role: builtinRoleId('owner') } }),
    allowed: (p, f) => holds(p, 'role_bindings.create', f.T) && holdsAll(p, capsOf('owner'), f.T) },
  { name: 'binding create (viewer, to a victim)',
    setup: async (s, T) => ({ V: await victim(s, T) }),
    request: (f) => ({ method: 'POST', url: `/iam/v1/rolebindings/${f.T}`, payload: { identity: f.V!.id, role: builtinRoleId('viewer') } }),
    allowed: (p, f) => holds(p, 'role_bindings.create', f.T) && holdsAll(p, capsOf('viewer'), f.T) },
  { name: 'binding update (viewer to owner)',
    setup: async (s, T) => {
      const V = await victim(s, T);
      const b = await s.iam.bindings.create(OPERATOR, T, { identity: V.id, role: builtinRoleId('viewer') });
      return { V, bindingId: b.id };
    },
    request: (f) => ({ method: 'PUT', url: `/iam/v1/rolebindings/${f.bindingId}`, payload: { role: builtinRoleId('owner') } }),
    allowed: (p, f) => holds(p, 'role_bindings.update', f.T) && holdsAll(p, capsOf('owner'), f.T) },
  { name: 'binding delete',
    setup: async (s, T) => {
      const V = await victim(s, T);
      const b = await s.iam.bindings.create(OPERATOR, T, { identity: V.id, role: builtinRoleId('viewer') });
      return { V, bindingId: b.id };
    },
    request: (f) => ({ method: 'DELETE', url: `/iam/v1/rolebindings/${f.bindingId}` }),
    allowed: (p, f) => holds(p, 'role_bindings.delete', f.T) },
  { name: 'invitation create (owner)', request: (f) => ({ method: 'POST', url: `/iam/v1/rolebindings/${f.T}`, payload: { email: ATTACKER_EMAIL, role: builtinRoleId('owner') } }),
    allowed: (p, f) => holds(p, 'role_bindings.create', f.T) && holdsAll(p, capsOf('owner'), f.T) },
  { name: 'invitation delete',
    setup: async (s, T) => ({ invitationId: (await s.iam.bindings.create(OPERATOR, T, { email: `x${Math.random().toString(16).slice(2, 8)}@example.com`, role: builtinRoleId('viewer') })).id }),
    request: (f) => ({ method: 'DELETE', url: `/iam/v1/rolebindings/${f.invitationId}` }),
    allowed: (p, f) => holds(p, 'role_bindings.delete', f.T) },
];

async function snapshot(s: TestServer, orgs: string[]): Promise<Snapshot> {
  const roles = new Map<string, { group: string | null; caps: Capability[] }>();
  for (const r of await s.store.listRoles({ builtinOnly: true })) roles.set(r.id, { group: null, caps: [...r.capabilities].sort() });
  const snap: Snapshot = { identities: new Map(), invitations: new Map(), roles, groups: new Map() };
  for (const org of orgs) {
    for (const r of await s.store.listRoles({ descendantsOf: org })) roles.set(r.id, { group: r.parentId, caps: [...r.capabilities].sort() });
    for (const g of [...(await s.store.listGroups({ descendantsOf: org })), (await s.store.getGroup(org))!]) snap.groups.set(g.id, `${g.name}|${g.description}`);
    for (const i of await s.store.listIdentities({ descendantsOf: org, kind: 'aws' })) {
      snap.identities.set(i.id, { account: i.relationship.kind === 'aws' ? i.relationship.aws.awsAccount : '', name: i.name, power: [] });
    }
    for (const b of await s.store.listBindings({ descendantsOf: org })) {
      snap.identities.get(b.identity)?.power.push({ group: b.group, caps: roles.get(b.role)!.caps });
    }
    for (const p of await s.store.listPendingBindings({ descendantsOf: org })) {
      const list = snap.invitations.get(p.email) ?? [];
      list.push({ group: p.group, caps: roles.get(p.role)!.caps });
      snap.invitations.set(p.email, list);
    }
  }
  for (const v of snap.identities.values()) v.power.sort((a, b) => (a.group + a.caps.join() < b.group + b.caps.join() ? -1 : 1));
  return snap;
}

/** Everything the attacker holds: the union over the identities whose rule it controls. */
function attackerPower(snap: Snapshot): Power {
  const out: Power = [];
  for (const v of snap.identities.values()) if (v.account === ATTACKER) out.push(...v.power);
  out.push(...(snap.invitations.get(ATTACKER_EMAIL) ?? []));
  return out;
}

/** Invariant 2: what became held after the write was held by the caller, there, before it. */
function checkInvariant(before: Snapshot, afterSnap: Snapshot, what: string): void {
  const caller = attackerPower(before);
  const principals: Array<[string, Power, Power, boolean]> = [];
  for (const [id, v] of afterSnap.identities) {
    const was = before.identities.get(id);
    const takenOver = v.account === ATTACKER && was?.account !== ATTACKER;
    principals.push([id, v.power, was?.power ?? [], takenOver]);
  }
  for (const [email, p] of afterSnap.invitations) principals.push([email, p, before.invitations.get(email) ?? [], email === ATTACKER_EMAIL]);
  for (const [who, now, was, takenOver] of principals) {
    for (const b of now) {
      for (const cap of b.caps) {
        if (!takenOver && holds(was, cap, b.group)) continue;
        assert.ok(holds(caller, cap, b.group), `${what}: ${who} now holds ${cap} on ${b.group}, which the caller did not hold there`);
      }
    }
  }
  for (const [id, r] of afterSnap.roles) {
    if (r.group === null) continue;
    const was = before.roles.get(id)?.caps ?? [];
    for (const cap of r.caps) {
      if (!was.includes(cap)) assert.ok(holds(caller, cap, r.group), `${what}: role ${id} now holds ${cap}, which the caller did not hold on ${r.group}`);
    }
  }
}

function sameState(a: Snapshot, b: Snapshot): boolean {
  const norm = (s: Snapshot) => JSON.stringify([[...s.identities].sort(), [...s.invitations].sort(), [...s.roles].sort(), [...s.groups].sort()]);
  return norm(a) === norm(b);
}

for (const backend of backends()) {
  describe(`IAM write matrix on ${backend.name}`, () => {
    let s: TestServer;
    before(async () => {
      // No authorization cache: every decision reads the caller's bindings, also inside the
      // write's own transaction (on SQLite a read outside it would wait for it forever).
      s = await startTestServer({ database: await backend.database(), flags: { authzCacheTtl: '0' } });
    });
    after(async () => {
      await s?.stop(true);
    });

    const inject = async (token: string, r: ReturnType<Write['request']>) => {
      const res = await s.app.inject({ method: r.method, url: r.url, payload: r.payload as object | undefined, headers: { authorization: `Bearer ${token}` } });
      return { status: res.statusCode, body: res.json() as { code?: string; message?: string } };
    };

    for (const roleName of CALLER_ROLES) {
      it(`a caller with ${roleName}, bound at the organization, at a folder and at its sibling`, async () => {
        let allowedCount = 0;
        let deniedCount = 0;
        for (const at of ['org', 'A', 'B'] as const) {
          // A fresh tree per caller: ORG { A { A1 }, B { B1 } }, and another organization.
          const org = (await s.iam.groups.createOrganization(OPERATOR, { name: `org-${roleName}-${at}` })).id;
          const other = (await s.iam.groups.createOrganization(OPERATOR, { name: `other-${roleName}-${at}` })).id;
          const mk = async (parent: string, name: string): Promise<Group> => s.iam.groups.createFolder(OPERATOR, parent, { name });
          const A = (await mk(org, 'A')).id;
          const A1 = (await mk(A, 'A1')).id;
          const B = (await mk(org, 'B')).id;
          const B1 = (await mk(B, 'B1')).id;
          const home = at === 'org' ? org : at === 'A' ? A : B;
          const role = CUSTOM[roleName] ? (await s.iam.roles.create(OPERATOR, org, { name: roleName, capabilities: CUSTOM[roleName]! })).id : builtinRoleId(roleName);
          const { identity: me } = await s.iam.identities.create(OPERATOR, home, { name: 'me', awsIdentity: attackerRule });
          await s.iam.bindings.create(OPERATOR, home, { identity: me.id, role });
          const token = (await s.issuer.mint({ sub: me.id, aud: [s.config.apiAudience], ttlSeconds: 3600 })).token;
          const targets: Record<string, string> = at === 'org'
            ? { self: org, child: A, sibling: other }
            : { self: home, child: at === 'A' ? A1 : B1, parent: org, sibling: at === 'A' ? B : A };
          for (const [rel, T] of Object.entries(targets)) {
            for (const w of WRITES) {
              const orgOfT = T === other ? other : org;
              const f: Fixture = { T, ...(w.setup ? await w.setup(s, T, orgOfT) : {}) };
              const what = `${roleName}@${at} → ${w.name} on ${rel}`;
              const before = await snapshot(s, [org, other]);
              const expected = w.allowed(attackerPower(before), f, orgOfT);
              const res = await inject(token, w.request(f));
              const afterSnap = await snapshot(s, [org, other]);
              if (expected) {
                assert.ok(res.status >= 200 && res.status < 300, `${what}: the rules allow it, got ${res.status} ${JSON.stringify(res.body)}`);
                checkInvariant(before, afterSnap, what);
                allowedCount++;
              } else {
                assert.equal(res.status, 403, `${what}: the rules refuse it, got ${res.status} ${JSON.stringify(res.body)}`);
                assert.equal(res.body.code, 'PERMISSION_DENIED', what);
                assert.ok(sameState(before, afterSnap), `${what}: a refused write changed something`);
                deniedCount++;
              }
            }
          }
        }
        // Every caller is both allowed and refused something (a matrix of only one answer proves little).
        assert.ok(deniedCount > 0, `${roleName}: nothing was refused`);
        if (roleName !== 'viewer') assert.ok(allowedCount > 0, `${roleName}: nothing was allowed`);
      });
    }

    it('judges a narrowed token by its narrowed capabilities', async () => {
      const org = (await s.iam.groups.createOrganization(OPERATOR, { name: 'narrowed' })).id;
      const { identity: me } = await s.iam.identities.create(OPERATOR, org, { name: 'me', awsIdentity: attackerRule });
      await s.iam.bindings.create(OPERATOR, org, { identity: me.id, role: builtinRoleId('owner') });
      const { identity: v } = await s.iam.identities.create(OPERATOR, org, { name: 'v', awsIdentity: victimRule });
      const narrowed = (await s.issuer.mint({ sub: me.id, aud: [s.config.apiAudience], ttlSeconds: 600, cap: ['role_bindings.create', 'role_bindings.list'] })).token;
      const res = await inject(narrowed, { method: 'POST', url: `/iam/v1/rolebindings/${org}`, payload: { identity: v.id, role: builtinRoleId('viewer') } });
      assert.equal(res.status, 403);
      assert.match(res.body.message!, /lacks groups\.list on .*narrowed without it/);
      const ok = await inject(narrowed, { method: 'POST', url: `/iam/v1/rolebindings/${org}`, payload: { identity: v.id, role: (await s.iam.roles.create(OPERATOR, org, { name: 'lister', capabilities: ['role_bindings.list'] })).id } });
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });
  });
}
