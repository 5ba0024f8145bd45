// `latchkey iam identities ...`: assumable identities and the people who have logged in.

import { PARTITIONS } from '../../aws/constants.js';
import type { CommandSpec } from '../command-spec.js';
import { AWS_RULE_FLAGS, DESCRIPTION, FILENAME, NEW_NAME, OIDC_RULE_FLAGS, YES, parentFlag } from './common-flags.js';

const CREATE_FLAGS = [FILENAME, parentFlag('Where to create the identity'), DESCRIPTION, ...AWS_RULE_FLAGS, ...OIDC_RULE_FLAGS, YES];
const AWS_CREATE_FLAGS = [FILENAME, parentFlag('Where to create the identity'), DESCRIPTION, ...AWS_RULE_FLAGS, YES];
const PRESET_FLAGS = [parentFlag('Where to create the identity'), DESCRIPTION, YES];
const AWS_PARTITION = {
  name: 'aws-partition', arg: 'PARTITION', choices: PARTITIONS,
  doc: 'AWS partition: aws, aws-cn or aws-us-gov (default aws).',
} as const;

export const IAM_IDENTITIES: CommandSpec = {
  name: 'identities',
  aliases: ['identity', 'id'],
  summary: 'Manage identities.',
  subcommands: [
    {
      name: 'create',
      summary: 'Create an identity from a JSON file or from flags.',
      description:
        'Create an identity that workloads assume. NAME defaults to the "name" in --filename. The rule\n'
        + 'comes from --filename (awsIdentity, claimMatch or static), the --aws-* flags, or the OpenID\n'
        + 'Connect flags: --identity-issuer[-pattern] with --subject[-pattern], --audience[-pattern],\n'
        + '--claim and --claim-pattern make a claim-match identity; adding --issuer-keys and --expiration\n'
        + 'makes a static one (an issuer Latchkey cannot reach). Patterns are RE2 and match the whole value.\n'
        + 'Asks for confirmation on a terminal (skip it with --yes); without a terminal it goes ahead.',
      positionals: { usage: '[NAME]', min: 0, max: 1 },
      flags: CREATE_FLAGS,
      examples: [
        'latchkey iam identities create aws-instance --filename id.json --parent my-org',
        'latchkey iam identities create deployer --identity-issuer https://token.actions.githubusercontent.com --subject repo:octo/app:ref:refs/heads/main --parent my-org',
        'latchkey iam identities create kind-ci --identity-issuer https://kubernetes.default.svc --subject system:serviceaccount:ci:builder --issuer-keys jwks.json --expiration 2027-01-31 --parent my-org',
      ],
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
          flags: AWS_CREATE_FLAGS,
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
                AWS_PARTITION,
                ...PRESET_FLAGS,
              ],
              examples: ['latchkey iam id create aws role ec2 --aws-account-id 123456789012 --aws-role-name access_to_chainguard_org --parent my-org'],
              load: () => import('../commands/iam-identities-create-aws-role.js'),
            },
            {
              name: 'user',
              summary: 'Create an identity for an AWS IAM user, with the rule written for you.',
              description:
                'Create an identity that one IAM user assumes (with its access keys). It matches the ARN\n'
                + '  ^arn:PARTITION:iam::ACCOUNT:user/[PATH/]USER$\n'
                + 'and a user UserId (AIDA...); with --aws-user-id, only that user\'s unique id, so a user\n'
                + 'deleted and re-created under the same name does not match.',
              positionals: { usage: 'NAME', min: 1, max: 1 },
              flags: [
                { name: 'aws-account-id', arg: 'ACCOUNT', doc: 'AWS account ID of the user (12 digits, required).' },
                { name: 'aws-user-name', arg: 'USER', doc: 'Name of the IAM user (required).' },
                { name: 'aws-user-id', arg: 'AIDA...', doc: 'Unique ID of the user (aws iam get-user), to pin this very user.' },
                AWS_PARTITION,
                ...PRESET_FLAGS,
              ],
              examples: ['latchkey iam id create aws user ci-bot --aws-account-id 123456789012 --aws-user-name ci-bot --parent my-org'],
              load: () => import('../commands/iam-identities-create-aws-user.js'),
            },
          ],
        },
        {
          name: 'github',
          summary: 'Create an identity for GitHub Actions workflows of one repository.',
          description:
            'Create an identity that GitHub Actions jobs of one repository assume with their ID token\n'
            + '(`permissions: id-token: write`, then `latchkey auth login --identity-provider github-actions`).\n'
            + 'It matches the token\'s repository and ref claims (anchored, escaped) rather than its sub, so it\n'
            + 'keeps working if the organization customizes the sub format; a fork has another repository\n'
            + '(and ids), so its jobs never match. Add --github-repo-id/--github-owner-id to pin the very\n'
            + 'repository and owner, so a deleted and re-created one does not match.',
          positionals: { usage: 'NAME', min: 1, max: 1 },
          flags: [
            { name: 'github-repo', arg: 'OWNER/REPO', doc: 'The repository whose workflows may assume the identity (required).' },
            { name: 'github-ref', arg: 'REF', doc: 'Only jobs on this ref, e.g. refs/heads/main or refs/tags/v1 (default: any ref).' },
            { name: 'github-audience', arg: 'AUD', doc: 'The audience the job asks for (default: this issuer\'s URL).' },
            { name: 'github-repo-id', arg: 'ID', doc: 'The repository\'s numeric id (repository_id claim).' },
            { name: 'github-owner-id', arg: 'ID', doc: 'The owner\'s numeric id (repository_owner_id claim).' },
            { name: 'github-issuer', arg: 'URL', doc: 'The token issuer (default https://token.actions.githubusercontent.com; GitHub Enterprise Server: https://HOST/_services/token).' },
            ...PRESET_FLAGS,
          ],
          examples: ['latchkey iam id create github deployer --github-repo octo-org/app --github-ref refs/heads/main --parent my-org'],
          load: () => import('../commands/iam-identities-create-github.js'),
        },
        {
          name: 'gitlab',
          summary: 'Create an identity for GitLab CI jobs of one project.',
          description:
            'Create an identity that GitLab CI jobs of one project assume with their ID token (id_tokens in\n'
            + '.gitlab-ci.yml with aud set to this issuer\'s URL). It matches the project_path claim, and\n'
            + 'ref_type and ref when given (anchored, escaped).',
          positionals: { usage: 'NAME', min: 1, max: 1 },
          flags: [
            { name: 'project-path', arg: 'GROUP/PROJECT', doc: 'The project whose jobs may assume the identity (required).' },
            { name: 'ref-type', arg: 'TYPE', choices: ['branch', 'tag'], doc: 'Only jobs on a branch or a tag.' },
            { name: 'ref', arg: 'REF', doc: 'Only jobs on this branch or tag name, e.g. main.' },
            { name: 'gitlab-issuer', arg: 'URL', doc: 'The GitLab instance (default https://gitlab.com).' },
            { name: 'gitlab-audience', arg: 'AUD', doc: 'The aud the job\'s token has (default: this issuer\'s URL).' },
            ...PRESET_FLAGS,
          ],
          examples: ['latchkey iam id create gitlab release --project-path my-group/app --ref-type tag --parent my-org'],
          load: () => import('../commands/iam-identities-create-gitlab.js'),
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
        {
          name: 'relationship', arg: 'KIND', choices: ['aws', 'claim_match', 'static', 'pull_token'],
          doc: 'Only identities of this kind: aws, claim_match, static, or pull_token (registry pull tokens).',
        },
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
      summary: 'Change an identity\'s name, description or rule.',
      description:
        'Update an identity. Flags given replace those fields of its rule, of the same kind; an exact\n'
        + 'value replaces the pattern of the same pair and the other way round (e.g. --aws-arn drops the\n'
        + 'arnPattern, --subject drops the subjectPattern); --claim/--claim-pattern replace that claim only.\n'
        + 'A --filename with another kind of rule replaces the rule.',
      positionals: { usage: 'IDENTITY', min: 1, max: 1 },
      flags: [NEW_NAME, DESCRIPTION, FILENAME, ...AWS_RULE_FLAGS, ...OIDC_RULE_FLAGS],
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
