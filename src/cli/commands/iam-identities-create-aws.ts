// `latchkey iam identities create aws [NAME] --filename id.json | --aws-* ...`: the seed's
// command. Today every identity a workload assumes is an AWS one, so this is `create` itself;
// it stays a command of its own because that is how chainctl (and the seed) spells it.

export { run } from './iam-identities-create.js';
