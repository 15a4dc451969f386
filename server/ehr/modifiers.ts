import { isObject, list, objects, str, type JsonObject } from './json.js';

/**
 * Whether the EHR changed the meaning of a resource in a way this app cannot read, so that it must
 * not be shown as if it said plainly what its elements say. FHIR DSTU2, STU3 and R4
 * (extensibility.html "modifierExtension", resource.html "implicitRules"): a modifier extension
 * "modifies the understanding of the element in which it is contained" (usually negation or
 * qualification, e.g. "not present", "unreliable") and applications processing a resource are
 * required to check for them; `implicitRules` names rules the resource was made under that may
 * change its meaning. Any modifier extension counts, on the resource itself or on one of the
 * `parts` (backbone elements) the app reads from it, except one that stands for a core element
 * (coreElement), which the resource's reader reads as that element. An empty array is
 * nothing. So does a boolean modifier element sent as no boolean (malformedModifier). What is qualified is still shown, marked "check in the EHR" (contract `qualified`).
 */
export function qualifiedByEhr(resource: JsonObject, parts: readonly string[] = []): boolean {
  if (str(resource.implicitRules) !== undefined || malformedModifier(resource)) return true;
  if (list(resource.modifierExtension).some((extension) => !readAsElement(resource, extension))) return true;
  return parts.some((part) => {
    const value = resource[part];
    return (Array.isArray(value) ? value : [value]).some((element) => isObject(element) && hasModifier(element));
  });
}

const hasModifier = (element: JsonObject) => list(element.modifierExtension).length > 0;

/**
 * Boolean modifier elements of the resources the app reads, by resource type (isModifier in the
 * element definitions of DSTU2, STU3 and R4): Patient.active and Patient.deceased[x] ("once a
 * patient is marked as deceased, the actions that are appropriate to perform on the patient may be
 * significantly different"), R4 MedicationRequest.doNotPerform (also read on STU3 MedicationRequest
 * and DSTU2 MedicationOrder: CORE_ELEMENT_EXTENSIONS), DSTU2 MedicationStatement.wasNotTaken.
 * FHIR JSON writes a boolean as JSON `true` or `false` (json.html "Primitive types"). Sent as
 * anything else (the string "true", 1, an object) the element says something the app cannot read:
 * read as absent, it would fall to its reassuring default (alive, active, to be given, taken).
 */
const BOOLEAN_MODIFIERS: ReadonlyMap<unknown, readonly string[]> = new Map([
  ['Patient', ['active', 'deceasedBoolean']],
  ['MedicationRequest', ['doNotPerform']],
  ['MedicationOrder', ['doNotPerform']],
  ['MedicationStatement', ['wasNotTaken']],
]);

/** Whether a boolean modifier element (BOOLEAN_MODIFIERS) is present with a value that is no JSON boolean. */
function malformedModifier(resource: JsonObject): boolean {
  const elements = BOOLEAN_MODIFIERS.get(resource.resourceType);
  return elements !== undefined && elements.some((element) => resource[element] !== undefined && typeof resource[element] !== 'boolean');
}

/** `{ qualified: true }` for a qualified resource, else nothing: what the contract's views carry. */
export const qualifiedMark = (resource: JsonObject, parts: readonly string[] = []) =>
  qualifiedByEhr(resource, parts) ? { qualified: true as const } : {};

/**
 * Extensions whose meaning the standard defines as a core element of the resource, by resource
 * type and element: an EHR on a version without the element sends it so. Read as the element
 * (coreElement) before the catch-all "unknown modifier: check in the EHR" (qualifiedByEhr).
 * doNotPerform, R4 MedicationRequest.doNotPerform (a modifier: "the request is asking for the
 * specified action to not occur"), sent on STU3 MedicationRequest or DSTU2 MedicationOrder as the R4
 * core extension request-doNotPerform (hl7.org/fhir/R4/extension-request-donotperform.html) or as
 * the cross-version extension of a later version's element (hl7.org/fhir/versions.html#extensions:
 * http://hl7.org/fhir/[version]/StructureDefinition/extension-[Path]). As a modifierExtension, or a
 * plain `extension`, which some servers use; either way only a boolean value is the element's.
 * An entry here stops its modifier marking the record, so the resource's reader must read the
 * element through coreElement (medications.ts readMedications does for doNotPerform).
 */
const DO_NOT_PERFORM: ReadonlySet<unknown> = new Set([
  'http://hl7.org/fhir/StructureDefinition/request-doNotPerform',
  ...['3.0', '4.0', '4.3', '5.0'].map((v) => `http://hl7.org/fhir/${v}/StructureDefinition/extension-MedicationRequest.doNotPerform`),
]);
const CORE_ELEMENT_EXTENSIONS: ReadonlyMap<unknown, ReadonlyMap<string, ReadonlySet<unknown>>> = new Map([
  ['MedicationRequest', new Map([['doNotPerform', DO_NOT_PERFORM]])],
  ['MedicationOrder', new Map([['doNotPerform', DO_NOT_PERFORM]])],
]);

/** Whether a modifier extension on the resource is one the app reads as a core element: a known URL with a boolean value. */
function readAsElement(resource: JsonObject, extension: unknown): boolean {
  if (!isObject(extension) || typeof extension.valueBoolean !== 'boolean') return false;
  const elements = CORE_ELEMENT_EXTENSIONS.get(resource.resourceType);
  return elements !== undefined && [...elements.values()].some((urls) => urls.has(extension.url));
}

/**
 * A boolean core element of the resource as the record gives it: the element itself, or an extension
 * that stands for it (CORE_ELEMENT_EXTENSIONS) among its modifierExtension and extension. True when
 * any of them says true (of conflicting copies, the one that changes the meaning wins); false when
 * one says false; undefined when the record says nothing.
 */
export function coreElement(resource: JsonObject, element: string): boolean | undefined {
  const own = resource[element];
  const urls = CORE_ELEMENT_EXTENSIONS.get(resource.resourceType)?.get(element);
  // Most records carry no such extension: read without building anything.
  if (urls === undefined) return typeof own === 'boolean' ? own : undefined;
  const extensions = objects([...list(resource.modifierExtension), ...list(resource.extension)]).filter((e) => urls.has(e.url));
  const values = [own, ...extensions.map((e) => e.valueBoolean)].filter((v): v is boolean => typeof v === 'boolean');
  return values.includes(true) ? true : values.length > 0 ? false : undefined;
}
