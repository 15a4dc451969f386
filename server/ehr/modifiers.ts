import { isObject, list, str, type JsonObject } from './json.js';

/**
 * Whether the EHR changed the meaning of a resource in a way this app cannot read, so that it must
 * not be shown as if it said plainly what its elements say. FHIR DSTU2, STU3 and R4
 * (extensibility.html "modifierExtension", resource.html "implicitRules"): a modifier extension
 * "modifies the understanding of the element in which it is contained" (usually negation or
 * qualification, e.g. "not present", "unreliable") and applications processing a resource are
 * required to check for them; `implicitRules` names rules the resource was made under that may
 * change its meaning. The app understands no modifier extension, so any one counts: on the resource
 * itself, or on one of the `parts` (backbone elements) the app reads from it. An empty array is
 * nothing. What is qualified is still shown, marked "check in the EHR" (contract `qualified`).
 */
export function qualifiedByEhr(resource: JsonObject, parts: readonly string[] = []): boolean {
  if (str(resource.implicitRules) !== undefined || hasModifier(resource)) return true;
  return parts.some((part) => {
    const value = resource[part];
    return (Array.isArray(value) ? value : [value]).some((element) => isObject(element) && hasModifier(element));
  });
}

const hasModifier = (element: JsonObject) => list(element.modifierExtension).length > 0;

/** `{ qualified: true }` for a qualified resource, else nothing: what the contract's views carry. */
export const qualifiedMark = (resource: JsonObject, parts: readonly string[] = []) =>
  qualifiedByEhr(resource, parts) ? { qualified: true as const } : {};
