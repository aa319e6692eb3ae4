// Wires the connection to the stores. One object the components receive; later features
// (model cards, charts) add their stores here.
import { Connection, type ConnectionOptions } from './connection.svelte.js';
import { applyMessage } from './dispatch.js';
import { RequestStore, type RequestStoreOptions } from './requests.svelte.js';
import { StatusStore } from './status.svelte.js';

export interface Dashboard {
  readonly requests: RequestStore;
  readonly status: StatusStore;
  readonly connection: Connection;
  start(): void;
  stop(): void;
}

export interface DashboardOptions extends RequestStoreOptions {
  connection?: Omit<ConnectionOptions, 'onMessage'>;
}

export function createDashboard(options: DashboardOptions = {}): Dashboard {
  const { connection: connectionOptions, ...requestOptions } = options;
  const requests = new RequestStore(requestOptions);
  const status = new StatusStore(requestOptions.flushIntervalMs);
  const connection = new Connection({
    ...connectionOptions,
    onMessage: (message) =>
      applyMessage(message, {
        snapshot: (snapshot) => {
          status.set(snapshot.status);
          requests.replace(snapshot.requests);
        },
        request: (record) => requests.add(record),
        status: (next) => status.update(next),
      }),
  });
  return {
    requests,
    status,
    connection,
    start: () => connection.start(),
    stop: () => {
      connection.stop();
      requests.dispose();
      status.dispose();
    },
  };
}
