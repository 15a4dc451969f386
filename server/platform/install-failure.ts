/**
 * A start that failed because the installation is broken, not the settings: a package missing from
 * node_modules (an interrupted `npm ci`, a partial upload) or a native module built for another
 * Node.js. Said in one line naming the package and what to do; never the error's message, which
 * holds paths of this machine.
 */
export function installFailure(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, message } = err as NodeJS.ErrnoException;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    const name = packageName(/Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1]);
    return `the server could not start: its installation is incomplete (${name ? `package ${name}` : 'one of its own files'} cannot be found). Install it again: npm ci, or deploy the package again`;
  }
  if (code === 'ERR_DLOPEN_FAILED') {
    const name = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(message)?.[1]?.replace('\\', '/');
    return `the server could not start: the native module of ${name ? `package ${name}` : 'a package'} cannot be loaded (built for another Node.js or system). Build it again with the Node.js that runs the app: npm ci, or npm run package:deploy for the web app`;
  }
  return undefined;
}

/** The package a bare import names (`@scope/name/sub` gives `@scope/name`); undefined for a path. */
function packageName(specifier: string | undefined): string | undefined {
  return specifier && /^((?:@[\w.-]+\/)?\w[\w.-]*)(?:\/.*)?$/.exec(specifier)?.[1];
}
