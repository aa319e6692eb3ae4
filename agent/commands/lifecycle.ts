import { errorText, log } from '../log.js';

// Keeps a command alive until SIGINT/SIGTERM, then shuts it down gracefully; a second signal exits at once.
export function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn(`${signal} again, exiting now`);
        process.exit(130);
      }
      stopping = true;
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
