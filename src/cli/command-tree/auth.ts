// `latchkey auth ...` and `latchkey aws ...`: logging in, the token cache, AWS tokens.

import type { CommandSpec } from '../command-spec.js';
import { AWS_REGION, parentFlag } from './common-flags.js';

export const AUTH: CommandSpec = {
  name: 'auth',
  summary: 'Log in and out, and get tokens for scripts.',
  subcommands: [
    {
      name: 'login',
      summary: 'Log in as a person, with an identity token, or with AWS credentials.',
      description:
        'Log in to Latchkey and cache the token.\n\n'
        + 'With no flags, log in as a person (the dev server\'s built-in user under `latchkey serve --dev`).\n'
        + 'With --identity-token and --identity, exchange an identity token (the seed\'s AWS token, or an\n'
        + 'OpenID Connect token of any issuer the identity trusts) for a Latchkey token of that assumable\n'
        + 'identity; @FILE reads it from a file, again on every renewal. With --identity-provider, get the\n'
        + 'token from the platform, again on every renewal:\n'
        + '  aws             AWS credentials found the way the AWS SDKs do, signed into the AWS token\n'
        + '  github-actions  the job\'s ID token (needs `permissions: id-token: write`), for the audience\n'
        + '                  --identity-token-audience (default: this issuer\'s URL)\n'
        + '  kubernetes      a projected service-account token file (--kubernetes-token-path), re-read\n'
        + '                  every time because the kubelet rotates it',
      flags: [
        { name: 'identity', arg: 'UIDP', doc: 'The assumable identity to log in as.' },
        { name: 'identity-token', arg: 'TOKEN|@FILE', doc: 'An identity token, or @FILE holding one (re-read on refresh; a bare existing path works too).' },
        {
          name: 'identity-provider', arg: 'PROVIDER', choices: ['aws', 'github-actions', 'kubernetes'],
          doc: 'Get the identity token from the platform: aws, github-actions or kubernetes.',
        },
        AWS_REGION,
        { name: 'identity-token-audience', arg: 'AUD', doc: 'With github-actions: the audience to ask for (default: this issuer\'s URL).' },
        {
          name: 'kubernetes-token-path', arg: 'PATH',
          doc: 'With kubernetes: the projected service-account token file (default /var/run/secrets/tokens/latchkey).',
        },
        { name: 'headless', doc: 'Log in without opening a browser (as auth.mode=headless).' },
      ],
      examples: [
        'latchkey auth login',
        'latchkey auth login --identity-token "$TOK" --identity "$CHAINGUARD_IDENTITY"',
        'latchkey auth login --identity "$CHAINGUARD_IDENTITY" --identity-provider aws',
        'latchkey auth login --identity "$ID" --identity-provider github-actions',
        'latchkey auth login --identity "$ID" --identity-provider kubernetes --kubernetes-token-path /var/run/secrets/tokens/latchkey',
        'latchkey auth login --identity "$ID" --identity-token @token.jwt',
      ],
      load: () => import('../commands/auth-login.js'),
    },
    {
      name: 'logout',
      summary: 'Delete the cached token and revoke what the server lets us revoke.',
      load: () => import('../commands/auth-logout.js'),
    },
    {
      name: 'status',
      summary: 'Show who the cached token is for, its audience and expiry (never the token).',
      description: 'Show the cached token\'s identity, audience and expiry, offline. Exits 1 when there is no\nvalid token.',
      load: () => import('../commands/auth-status.js'),
    },
    {
      name: 'token',
      summary: 'Print a valid token for scripts, refreshing it when needed.',
      description:
        'Print a valid Latchkey token on stdout. A cached token is reused until shortly before it expires\n'
        + '(config auth.refresh-margin) with no network request; then it is refreshed: with the refresh\n'
        + 'token (people) or by exchanging again (workloads that logged in with AWS or a token file).',
      examples: ['curl -H "Authorization: Bearer $(latchkey auth token)" "$API/iam/v1/groups"'],
      load: () => import('../commands/auth-token.js'),
    },
    {
      name: 'configure-docker',
      summary: 'Make docker, podman and skopeo get registry credentials from Latchkey.',
      description:
        'Add `"credHelpers": {"HOST": "latchkey"}` to docker\'s config.json ($DOCKER_CONFIG, else\n'
        + '~/.docker) and to containers\' auth.json ($REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers,\n'
        + 'else $XDG_CONFIG_HOME/containers), keeping every other entry. Clients then run\n'
        + 'docker-credential-latchkey, which answers with a fresh Latchkey token for that registry.',
      flags: [{ name: 'registry', arg: 'HOST', doc: 'The registry host, as images name it (e.g. registry.example.com:5000).' }],
      examples: ['latchkey auth configure-docker --registry registry.example.com'],
      load: () => import('../commands/auth-configure-docker.js'),
    },
    {
      name: 'credential-helper',
      summary: 'Docker\'s credential-helper protocol (what docker-credential-latchkey runs).',
      description:
        'ACTION get reads a registry host on stdin and prints {"ServerURL","Username":"_token","Secret"}:\n'
        + 'a Latchkey token whose audience is that host, from the cache, renewed, or exchanged again by a\n'
        + 'workload logged in with AWS or a token file. store and erase do nothing; list prints {}.',
      positionals: { usage: 'ACTION', min: 1, max: 1, choices: ['get', 'store', 'erase', 'list'] },
      examples: ['echo registry.example.com | latchkey auth credential-helper get'],
      load: () => import('../commands/auth-credential-helper.js'),
    },
    {
      name: 'pull-token',
      summary: 'Registry pull tokens, for systems that have no workload identity.',
      subcommands: [
        {
          name: 'create',
          summary: 'Create a pull token: a pull-only user name and password for the registry.',
          description:
            'Create an identity of kind pull_token in --parent, bound to registry.pull there, and print its\n'
            + 'user name and password (shown only now; the server keeps only a hash). It pulls from the\n'
            + 'repositories beneath --parent until --ttl passes or it is deleted (`latchkey iam identities\n'
            + 'delete ID`). List them with `latchkey iam identities list --relationship pull_token`.',
          flags: [
            parentFlag('Where the token may pull'),
            { name: 'ttl', arg: 'DURATION', doc: 'How long the token is valid, e.g. 720h (default), at most 8760h (one year).' },
          ],
          examples: ['latchkey auth pull-token create --parent my-org --ttl 720h'],
          load: () => import('../commands/auth-pull-token-create.js'),
        },
      ],
    },
  ],
};

export const AWS: CommandSpec = {
  name: 'aws',
  summary: 'AWS helpers.',
  subcommands: [
    {
      name: 'token',
      summary: 'Print an AWS identity token for --identity (what the seed builds with curl).',
      description:
        'Find AWS credentials the way the AWS SDKs do, sign an STS GetCallerIdentity request bound to\n'
        + '--identity and to this issuer, and print it base64-encoded: the token `latchkey auth login\n'
        + '--identity-token` (or any other client of /sts/exchange) accepts.',
      flags: [
        { name: 'identity', arg: 'UIDP', doc: 'The assumable identity the token is for (required).' },
        AWS_REGION,
      ],
      examples: ['TOK=$(latchkey aws token --identity "$CHAINGUARD_IDENTITY")'],
      load: () => import('../commands/aws-token.js'),
    },
  ],
};
