// Keeps a command alive until SIGINT/SIGTERM, then shuts it down gracefully; a second signal exits at once.
export function untilSignal(stop: () => Promise<void>): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        console.error(`ollama-lens: ${signal} again, exiting now`);
        process.exit(130);
      }
      stopping = true;
      console.error(`ollama-lens: ${signal}, stopping…`);
      stop().then(
        () => resolve(0),
        (err: unknown) => {
          console.error(`ollama-lens: error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
