/**
 * An answer's JSON as UTF-8 bytes, the same bytes JSON.stringify would give, with each resource's
 * JSON made once. A list of 100 patients asks for some 3 MB of the same stored resources on every
 * load; writing them out afresh each time was a quarter of the sandbox's work, which a real EHR
 * does on machines of its own. Stored resources are never changed in place, only replaced by new
 * objects (engine/memo.ts), so a resource's bytes stay true for as long as its object lives.
 */
const resourceBytes = new WeakMap<object, Buffer>();

type Piece = string | Buffer;

export function answerBytes(body: unknown): Buffer {
  const pieces: Piece[] = [];
  let text = '';
  const flush = () => {
    if (text) pieces.push(text);
    text = '';
  };
  const write = (value: unknown): void => {
    if (value === null || typeof value !== 'object') {
      // Within an object, keys of such values are left out before write is called.
      text += JSON.stringify(value) ?? 'null';
      return;
    }
    const known = resourceBytes.get(value);
    if (known) {
      flush();
      pieces.push(known);
      return;
    }
    if (Array.isArray(value)) {
      text += '[';
      value.forEach((item, i) => {
        if (i) text += ',';
        if (omitted(item)) text += 'null';
        else write(item);
      });
      text += ']';
      return;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      text += JSON.stringify(value);
      return;
    }
    if (isResource(value)) {
      const bytes = Buffer.from(JSON.stringify(value));
      resourceBytes.set(value, bytes);
      flush();
      pieces.push(bytes);
      return;
    }
    text += '{';
    let first = true;
    for (const [key, item] of Object.entries(value)) {
      if (omitted(item)) continue;
      text += `${first ? '' : ','}${JSON.stringify(key)}:`;
      first = false;
      write(item);
    }
    text += '}';
  };
  write(body);
  flush();
  return Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** Values JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * A resource other than the Bundles and OperationOutcomes each answer makes afresh: the bytes of
 * those would be made once and never asked for again.
 */
function isResource(value: object): boolean {
  const type = (value as { resourceType?: unknown }).resourceType;
  return typeof type === 'string' && type !== 'Bundle' && type !== 'OperationOutcome' && type !== 'CapabilityStatement' && type !== 'Conformance';
}
