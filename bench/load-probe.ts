/**
 * Loaded into the app's process by `npm run load` only (`node --expose-gc --import tsx --import
 * bench/load-probe.ts server/index.ts`), never by the app: it answers the harness over the IPC
 * channel the harness opened, so the app gains no endpoint. It samples the heap in use every
 * 100 ms for the peak since the last `collect`, which runs full collections and answers what is left.
 */
interface ProbeRequest {
  probe: 'collect' | 'peak';
  id: number;
}

if (!process.send) throw new Error('load-probe runs only in a process started with an IPC channel (npm run load).');
if (!globalThis.gc) throw new Error('load-probe needs node --expose-gc.');
const fullGc: () => void = globalThis.gc;

let peak = process.memoryUsage().heapUsed;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 100).unref();

/** Full collections until the heap stops shrinking (weak references and finalizers take more than one). */
async function collect(): Promise<number> {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    fullGc();
    // Lets finalizers and the microtasks they queue run before the next collection.
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.memoryUsage().heapUsed;
    if (used >= last * 0.995) return used;
    last = used;
  }
  return last;
}

process.on('message', (message: ProbeRequest) => {
  if (!message || typeof message !== 'object' || !('probe' in message)) return;
  if (message.probe === 'peak') {
    const current = process.memoryUsage().heapUsed;
    peak = Math.max(peak, current);
    process.send!({ id: message.id, heapUsed: current, peak });
  } else if (message.probe === 'collect') {
    // The peak counts from each collection on: the harness collects before the load.
    void collect().then((heapUsed) => {
      peak = heapUsed;
      process.send!({ id: message.id, heapUsed, peak });
    });
  }
});
// The IPC channel must not keep the app alive once it is told to stop.
process.channel?.unref();
