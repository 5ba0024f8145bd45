// `latchkey iam identities ...`: assumable identities and the people who have logged in.

import { PARTITIONS } from '../../aws/constants.js';
import type { CommandSpec } from '../command-spec.js';
import { AWS_RULE_FLAGS, DESCRIPTION, FILENAME, NEW_NAME, YES, parentFlag } from './common-flags.js';

const CREATE_FLAGS = [FILENAME, parentFlag('Where to create the identity'), DESCRIPTION, ...AWS_RULE_FLAGS, YES];

export const IAM_IDENTITIES: CommandSpec = {
  name: 'identities',
  aliases: ['identity', 'id'],
  summary: 'Manage identities.',
  subcommands: [
    {
      name: 'create',
      summary: 'Create an identity from a JSON file or from flags.',
      description:
        'Create an identity. NAME defaults to the "name" in --filename. Asks for confirmation on a\n'
        + 'terminal (skip it with --yes); without a terminal it goes ahead.',
      positionals: { usage: '[NAME]', min: 0, max: 1 },
      flags: CREATE_FLAGS,
      examples: ['latchkey iam identities create aws-instance --filename id.json --parent my-org'],
      load: () => import('../commands/iam-identities-create.js'),
      subcommands: [
        {
          name: 'aws',
          summary: 'Create an identity that AWS workloads assume.',
          description:
            'Create an identity for an AWS IAM principal, from --filename (its awsIdentity) or from the\n'
            + '--aws-* flags. NAME defaults to the "name" in --filename. With -o id only the new UIDP is\n'
            + 'printed on stdout; the notice and the prompt go to stderr.',
          positionals: { usage: '[NAME]', min: 0, max: 1 },
          flags: CREATE_FLAGS,
          examples: [
            'CHAINGUARD_IDENTITY=$(latchkey iam id create aws --filename id.json -oid --parent "$PARENT")',
            'latchkey iam id create aws ci --aws-account 123456789012 --aws-arn-pattern \'^arn:aws:sts::123456789012:assumed-role/ci/[^/]+$\'',
          ],
          load: () => import('../commands/iam-identities-create-aws.js'),
          subcommands: [
            {
              name: 'role',
              summary: 'Create an identity for an AWS IAM role, with the patterns written for you.',
              description:
                'Create an identity that sessions of one AWS IAM role assume (EC2 instance roles, EKS IRSA,\n'
                + 'ECS tasks, Lambda). It matches the ARN\n'
                + '  ^arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION$\n'
                + 'and a role UserId (AROA...:SESSION); with --aws-role-id, only that role\'s unique id, so a\n'
                + 'role deleted and re-created under the same name does not match.',
              positionals: { usage: 'NAME', min: 1, max: 1 },
              flags: [
                { name: 'aws-account-id', arg: 'ACCOUNT', doc: 'AWS account ID of the role (12 digits, required).' },
                { name: 'aws-role-name', arg: 'ROLE', doc: 'Name of the IAM role (required).' },
                { name: 'aws-role-id', arg: 'AROA...', doc: 'Unique ID of the role (aws iam get-role), to pin this very role.' },
                {
                  name: 'aws-partition', arg: 'PARTITION', choices: PARTITIONS,
                  doc: 'AWS partition of the role: aws, aws-cn or aws-us-gov (default aws).',
                },
                parentFlag('Where to create the identity'), DESCRIPTION, YES,
              ],
              examples: ['latchkey iam id create aws role ec2 --aws-account-id 123456789012 --aws-role-name access_to_chainguard_org --parent my-org'],
              load: () => import('../commands/iam-identities-create-aws-role.js'),
            },
          ],
        },
      ],
    },
    {
      name: 'list',
      aliases: ['ls'],
      summary: 'List identities.',
      flags: [
        parentFlag('List identities in and beneath this location'),
        { name: 'name', arg: 'NAME', doc: 'Only identities with this exact name.' },
        { name: 'relationship', arg: 'KIND', choices: ['aws', 'pull_token'], doc: 'Only identities of this kind: aws, or pull_token (registry pull tokens).' },
      ],
      examples: ['latchkey iam identities list --parent my-org --relationship pull_token'],
      load: () => import('../commands/iam-identities-list.js'),
    },
    {
      name: 'describe',
      summary: 'Show one identity.',
      positionals: { usage: 'IDENTITY', min: 1, max: 1 },
      load: () => import('../commands/iam-identities-describe.js'),
    },
    {
      name: 'update',
      summary: 'Change an identity\'s name, description or AWS rule.',
      description:
        'Update an identity. Flags given replace those fields; an exact value replaces the pattern of\n'
        + 'the same pair and the other way round (e.g. --aws-arn drops the arnPattern).',
      positionals: { usage: 'IDENTITY', min: 1, max: 1 },
      flags: [NEW_NAME, DESCRIPTION, FILENAME, ...AWS_RULE_FLAGS],
      load: () => import('../commands/iam-identities-update.js'),
    },
    {
      name: 'delete',
      summary: 'Delete an identity.',
      positionals: { usage: 'IDENTITY', min: 1, max: 1 },
      flags: [YES],
      load: () => import('../commands/iam-identities-delete.js'),
    },
  ],
};
