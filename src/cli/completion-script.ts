// Shell completion scripts for bash and zsh, generated from the command tree. The logic is
// plain POSIX-ish shell shared by both: walk the words typed so far to the command they name
// (aliases included, flag values skipped), then offer its subcommands, flags, or the values
// of the flag just typed. Flags that take a file fall back to the shell's file completion.

import { GLOBAL_FLAGS, type CommandSpec, type FlagSpec } from './command-spec.js';

interface Node {
  path: string;
  spec: CommandSpec;
}

function walk(spec: CommandSpec, path: string, out: Node[]): Node[] {
  out.push({ path, spec });
  for (const c of spec.subcommands ?? []) walk(c, path ? `${path} ${c.name}` : c.name, out);
  return out;
}

const q = (s: string): string => `"${s.replace(/["\\$`]/g, '\\$&')}"`;

function flagWords(flags: readonly FlagSpec[]): string[] {
  return flags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
}

/** The shared shell functions. */
function commonFunctions(tree: CommandSpec): string {
  const nodes = walk(tree, '', []);
  const allFlags = [...GLOBAL_FLAGS, ...nodes.flatMap((n) => n.spec.flags ?? [])];
  const valueFlags = [...new Set(flagWords(allFlags.filter((f) => f.arg)))];
  const choiceFlags = new Map<string, readonly string[]>();
  for (const f of allFlags) if (f.choices) for (const w of flagWords([f])) choiceFlags.set(w, f.choices);

  const child = nodes.flatMap((n) => (n.spec.subcommands ?? []).map((c) => {
    const keys = [c.name, ...(c.aliases ?? [])].map((w) => q(`${n.path}|${w}`)).join('|');
    return `    ${keys}) echo ${q(n.path ? `${n.path} ${c.name}` : c.name)} ;;`;
  }));
  const words = nodes.map((n) => {
    const subs = (n.spec.subcommands ?? []).flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    return `    ${q(n.path)}) echo ${q([...subs, ...(n.spec.positionals?.choices ?? [])].join(' '))} ;;`;
  });
  const flags = nodes.filter((n) => n.spec.flags?.length).map((n) => `    ${q(n.path)}) echo ${q(flagWords(n.spec.flags!).join(' '))} ;;`);
  const choices = [...choiceFlags].map(([w, c]) => `    ${q(w)}) echo ${q(c.join(' '))} ;;`);

  return `_latchkey_child() {
  case "$1|$2" in
${child.join('\n')}
  esac
}
_latchkey_words() {
  case "$1" in
${words.join('\n')}
  esac
}
_latchkey_flags() {
  case "$1" in
${flags.join('\n')}
  esac
  echo ${q(flagWords(GLOBAL_FLAGS).join(' '))}
}
_latchkey_takes_value() {
  case " ${valueFlags.join(' ')} " in *" $1 "*) return 0 ;; esac
  return 1
}
_latchkey_choices() {
  case "$1" in
${choices.join('\n')}
  esac
}
# Prints the command path named by the words given (the words before the cursor).
_latchkey_path() {
  local p="" w next skip=0
  for w in "$@"; do
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case "$w" in
      --*=*) continue ;;
      -*) _latchkey_takes_value "$w" && skip=1; continue ;;
    esac
    next="$(_latchkey_child "$p" "$w")"
    [ -n "$next" ] && p="$next"
  done
  echo "$p"
}
# Prints the candidates for the word being typed; nothing means "complete file names".
_latchkey_candidates() {
  local p="$1" prev="$2" cur="$3"
  if _latchkey_takes_value "$prev"; then _latchkey_choices "$prev"; return; fi
  case "$cur" in
    -*) _latchkey_flags "$p" ;;
    *) _latchkey_words "$p" ;;
  esac
}`;
}

export function bashCompletion(tree: CommandSpec): string {
  return `# bash completion for latchkey. Load it with: source <(latchkey completion bash)
${commonFunctions(tree)}
_latchkey() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local p
  p="$(_latchkey_path "\${COMP_WORDS[@]:1:COMP_CWORD-1}")"
  COMPREPLY=($(compgen -W "$(_latchkey_candidates "$p" "$prev" "$cur")" -- "$cur"))
}
complete -o default -F _latchkey latchkey
`;
}

export function zshCompletion(tree: CommandSpec): string {
  // zsh ties $path to $PATH: the functions say p, never path.
  return `#compdef latchkey
# zsh completion for latchkey. Install it with:
#   latchkey completion zsh > "\${fpath[1]}/_latchkey"   (then start a new shell)
${commonFunctions(tree)}
_latchkey() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local p
  p="$(_latchkey_path "\${(@)words[2,CURRENT-1]}")"
  local -a cands
  cands=(\${=$(_latchkey_candidates "$p" "$prev" "$cur")})
  if (( \${#cands} )); then compadd -- $cands; else _files; fi
}
if [ "$funcstack[1]" = "_latchkey" ]; then _latchkey "$@"; else compdef _latchkey latchkey; fi
`;
}
