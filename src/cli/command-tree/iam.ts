// `latchkey iam ...`: organizations, folders, identities, roles and role bindings.

import type { CommandSpec } from '../command-spec.js';
import { DESCRIPTION, NEW_NAME, YES, parentFlag } from './common-flags.js';
import { IAM_IDENTITIES } from './iam-identities.js';

const ORGANIZATIONS: CommandSpec = {
  name: 'organizations',
  aliases: ['organization', 'orgs', 'org'],
  summary: 'List, describe and delete organizations.',
  description: 'Organizations are the root groups. The operator creates them (`latchkey admin bootstrap`).',
  subcommands: [
    {
      name: 'list', aliases: ['ls'], summary: 'List the organizations you can see.',
      examples: ['PARENT=$(latchkey iam org ls -o json | jq -r \'.items[0].id\')'],
      load: () => import('../commands/iam-organizations-list.js'),
    },
    {
      name: 'describe', summary: 'Show one organization.',
      positionals: { usage: 'ORGANIZATION', min: 1, max: 1 },
      load: () => import('../commands/iam-organizations-describe.js'),
    },
    {
      name: 'delete', summary: 'Delete an organization and everything beneath it.',
      positionals: { usage: 'ORGANIZATION', min: 1, max: 1 }, flags: [YES],
      load: () => import('../commands/iam-organizations-delete.js'),
    },
  ],
};

const FOLDERS: CommandSpec = {
  name: 'folders',
  aliases: ['folder'],
  summary: 'Manage folders (groups inside an organization).',
  subcommands: [
    {
      name: 'list', aliases: ['ls'], summary: 'List folders.',
      flags: [parentFlag('List folders beneath this location')],
      load: () => import('../commands/iam-folders-list.js'),
    },
    {
      name: 'create', summary: 'Create a folder.',
      positionals: { usage: 'NAME', min: 1, max: 1 },
      flags: [parentFlag('Where to create the folder'), DESCRIPTION, YES],
      load: () => import('../commands/iam-folders-create.js'),
    },
    {
      name: 'describe', summary: 'Show one folder.',
      positionals: { usage: 'FOLDER', min: 1, max: 1 },
      load: () => import('../commands/iam-folders-describe.js'),
    },
    {
      name: 'update', summary: 'Rename a folder or change its description.',
      positionals: { usage: 'FOLDER', min: 1, max: 1 }, flags: [NEW_NAME, DESCRIPTION],
      load: () => import('../commands/iam-folders-update.js'),
    },
    {
      name: 'delete', summary: 'Delete a folder and everything beneath it.',
      positionals: { usage: 'FOLDER', min: 1, max: 1 }, flags: [YES],
      load: () => import('../commands/iam-folders-delete.js'),
    },
  ],
};

const CAPABILITIES_FLAG = { name: 'capabilities', arg: 'CAP,...', doc: 'Comma-separated capabilities, e.g. identity.list,groups.list.' };

const ROLES: CommandSpec = {
  name: 'roles',
  aliases: ['role'],
  summary: 'Manage roles (named sets of capabilities).',
  subcommands: [
    {
      name: 'list', aliases: ['ls'], summary: 'List roles: the built-in viewer, editor, owner and custom ones.',
      flags: [
        { name: 'name', arg: 'NAME', doc: 'Only roles with this exact name.' },
        parentFlag('Only roles defined in this location'),
        { name: 'managed', doc: 'Only the built-in roles.' },
        { ...CAPABILITIES_FLAG, doc: 'Only roles that grant all of these capabilities.' },
      ],
      examples: ['ROLE=$(latchkey iam roles list --name viewer -oid)'],
      load: () => import('../commands/iam-roles-list.js'),
    },
    {
      name: 'create', summary: 'Create a custom role.',
      positionals: { usage: 'NAME', min: 1, max: 1 },
      flags: [parentFlag('Where to define the role'), { ...CAPABILITIES_FLAG, doc: `${CAPABILITIES_FLAG.doc} (required)` }, DESCRIPTION, YES],
      examples: ['latchkey iam roles create auditor --parent my-org --capabilities audit.list,groups.list'],
      load: () => import('../commands/iam-roles-create.js'),
    },
    {
      name: 'update', summary: 'Change a custom role.',
      positionals: { usage: 'ROLE', min: 1, max: 1 },
      flags: [NEW_NAME, DESCRIPTION, { ...CAPABILITIES_FLAG, doc: 'The full new list of capabilities.' }],
      load: () => import('../commands/iam-roles-update.js'),
    },
    {
      name: 'delete', summary: 'Delete a custom role and its role bindings.',
      positionals: { usage: 'ROLE', min: 1, max: 1 }, flags: [YES],
      load: () => import('../commands/iam-roles-delete.js'),
    },
  ],
};

const ROLE_BINDINGS: CommandSpec = {
  name: 'role-bindings',
  aliases: ['rolebindings', 'rolebinding', 'role-binding'],
  summary: 'Grant roles to identities in a location.',
  subcommands: [
    {
      name: 'create', summary: 'Bind an identity, or invite a person by email, to a role in a location (and everything beneath it).',
      flags: [
        { name: 'identity', arg: 'IDENTITY', doc: 'The identity to bind, by name or UIDP (this or --email).' },
        { name: 'email', arg: 'EMAIL', doc: "Invite a person who has not logged in yet: their first login with this (verified) email claims the binding, once, before it expires (the server's --invite-ttl)." },
        { name: 'role', arg: 'ROLE', doc: 'The role, by name (viewer, editor, owner, ...) or UIDP (required).' },
        parentFlag('Where the binding applies'), YES,
      ],
      examples: ['latchkey iam rolebinding create --identity "$CHAINGUARD_IDENTITY" --role viewer --parent "$PARENT"'],
      load: () => import('../commands/iam-role-bindings-create.js'),
    },
    {
      name: 'list', aliases: ['ls'], summary: 'List role bindings, and invitations by email (STATUS pending).',
      flags: [
        parentFlag('List bindings in and beneath this location'),
        { name: 'identity', arg: 'IDENTITY', doc: 'Only bindings of this identity (name or UIDP).' },
        { name: 'email', arg: 'EMAIL', doc: 'Only invitations for this email.' },
      ],
      load: () => import('../commands/iam-role-bindings-list.js'),
    },
    {
      name: 'update', summary: 'Bind a different role.',
      positionals: { usage: 'BINDING_ID', min: 1, max: 1 },
      flags: [{ name: 'role', arg: 'ROLE', doc: 'The new role, by name or UIDP (required).' }],
      load: () => import('../commands/iam-role-bindings-update.js'),
    },
    {
      name: 'delete', summary: 'Delete a role binding or an invitation.',
      positionals: { usage: 'BINDING_ID', min: 1, max: 1 }, flags: [YES],
      load: () => import('../commands/iam-role-bindings-delete.js'),
    },
  ],
};

export const IAM: CommandSpec = {
  name: 'iam',
  summary: 'Identity and access management: organizations, folders, identities, roles, role bindings.',
  subcommands: [ORGANIZATIONS, FOLDERS, IAM_IDENTITIES, ROLES, ROLE_BINDINGS],
};
