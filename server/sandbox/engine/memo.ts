/**
 * What a search works out about one stored resource (a sort key, whether a filter matches it),
 * kept with that resource object. Stored resources are never changed in place, only replaced by
 * new objects, so an answer stays true for as long as its object is stored; a replaced resource
 * starts afresh. This is the sandbox's stand-in for an EHR's search indexes: every batch of a
 * list asks the same questions of the same resources.
 */
export function perResource<T>(): (resource: object, key: string, work: () => T) => T {
  const known = new WeakMap<object, Map<string, T>>();
  return (resource, key, work) => {
    let answers = known.get(resource);
    if (!answers) known.set(resource, (answers = new Map()));
    if (answers.has(key)) return answers.get(key)!;
    const answer = work();
    answers.set(key, answer);
    return answer;
  };
}
