// Bundled with code splitting, a CommonJS package loaded with import() arrives as
// { default: module.exports }; run from source (tsx, the tests) it arrives with its named
// exports. This gives the named exports either way:
//   const { parse } = cjsExports(await import('yaml'));

export function cjsExports<T extends object>(ns: T): T {
  const keys = Object.keys(ns);
  const d = (ns as { default?: unknown }).default;
  return keys.length === 1 && keys[0] === 'default' && typeof d === 'object' && d !== null ? (d as T) : ns;
}
