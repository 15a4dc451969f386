import { isObject, objects, str, type JsonObject } from './json.js';

/**
 * The resource a local reference `#id` names among its owner's `contained` resources (DSTU2, STU3
 * and R4 alike: "a reference to a contained resource is a local fragment reference", resolved within
 * the resource that contains it, https://hl7.org/fhir/R4/references.html#contained). A reference
 * inside a contained resource resolves against that same owner, as contained resources hold none.
 * `reference` is a Reference or its `reference` string; `types`, when given, are the types it may name.
 */
export function containedResource(owner: JsonObject, reference: unknown, types?: readonly string[]): JsonObject | undefined {
  const target = isObject(reference) ? str(reference.reference) : str(reference);
  if (!target?.startsWith('#') || target.length < 2) return undefined;
  return objects(owner.contained).find((c) => `#${str(c.id)}` === target && (types === undefined || types.includes(str(c.resourceType) ?? '')));
}
