// The checkpointer's worker retries a failed round (a full disk, an I/O error) every interval; the
// main thread should hear of it when it starts, when the reason changes and when it ends, not each time.
import type { FromCheckpointWorker } from './checkpointProtocol.js';

export function reportChanges(send: (m: FromCheckpointWorker) => void): (round: () => void) => void {
  let failing: string | null = null;
  return (round) => {
    try {
      round();
      if (failing !== null) send({ type: 'recovered' });
      failing = null;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = (err as { code?: unknown } | null)?.code;
      if (message !== failing) send({ type: 'failing', message, code: typeof code === 'string' ? code : null });
      failing = message;
    }
  };
}
