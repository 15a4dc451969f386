export class UsageError extends Error {}

/** `--env <name>` or `--env=<name>`; default `local`. */
export function parseArgs(argv: string[]): { env: string } {
  let env = 'local';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--env') {
      const next = argv[++i];
      if (!next || next.startsWith('-')) throw new UsageError('--env needs a name, e.g. --env dev');
      env = next;
    } else if (arg.startsWith('--env=')) env = arg.slice('--env='.length);
    else throw new UsageError(`Unknown argument "${arg}". Usage: npm run package [-- --env <name>]`);
  }
  return { env };
}
