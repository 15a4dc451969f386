/**
 * A table looked up by keys that come from outside (an EHR's codes, a caller's field ids): only its
 * own entries are found. A plain object literal also answers `constructor`, `toString`,
 * `__proto__` and the other members of Object.prototype, so an EHR sending the code "constructor"
 * would be read as a function (shown as "function Object() { [native code] }", or sorted as NaN).
 * The table has no prototype and cannot be changed.
 */
export function lookupTable<T extends object>(entries: T): Readonly<T> {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}
