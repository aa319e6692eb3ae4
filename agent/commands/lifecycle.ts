import { errorText, log } from '../log.js';

/**
 * Ctrl+C under `npm start` arrives twice: from the terminal and again forwarded by npm, a few ms
 * apart. A repeat this soon is that echo, not a person asking to skip the graceful stop.
 */
const ECHO_MS = 500;

// Keeps a command alive until SIGINT/SIGTERM, then shuts it down gracefully; a second signal exits at once.
export function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    let firstAt = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping && Date.now() - firstAt < ECHO_MS) return;
      if (stopping) {
        log.warn(`${signal} again, exiting now`);
        process.exit(130);
      }
      stopping = true;
      firstAt = Date.now();
      log.info(`${signal}, stopping…`);
      stop().then(
        () => resolve(0),
        (err: unknown) => {
          log.error(`error while stopping: ${errorText(err)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
