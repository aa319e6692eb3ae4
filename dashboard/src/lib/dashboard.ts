// Wires the connection to the stores. One object the components receive; later features
// (charts, incidents) add their stores here.
import type { RequestRecord } from '../../../shared/records.js';
import type { FetchLike } from './ackAlert.js';
import { AgentWatch } from './agentWatch.svelte.js';
import { AlertsStore } from './alerts.svelte.js';
import { BatchedList, type BatchedListOptions } from './batchedList.svelte.js';
import { Connection, type ConnectionOptions } from './connection.svelte.js';
import { applyMessage } from './dispatch.js';
import { LoadsStore } from './loads.svelte.js';
import { MemorySamplesStore } from './memorySamples.svelte.js';
import { LoadedModelsStore } from './models.svelte.js';
import { StatusStore } from './status.svelte.js';
import { REQUEST_LIST } from './requestList.js';
import { ViewState } from './viewState.svelte.js';

export interface Dashboard {
  /** The live request list, newest first. */
  readonly requests: BatchedList<RequestRecord>;
  readonly status: StatusStore;
  readonly memory: MemorySamplesStore;
  readonly models: LoadedModelsStore;
  readonly alerts: AlertsStore;
  /** Model loads, for the backend and GPU layers of what is loaded now. */
  readonly loads: LoadsStore;
  readonly connection: Connection;
  /** Whether the figures are live: the socket is up and the agent answers. */
  readonly watch: AgentWatch;
  /** Range, filters, page and opened request: what the URL carries (see `view.sync()`). */
  readonly view: ViewState;
  start(): void;
  stop(): void;
}

export interface DashboardOptions extends BatchedListOptions {
  /** `cap`: how many requests to keep (default 500). */
  /** How many memory samples to keep (default 720: an hour at 5 s). */
  memoryCap?: number;
  /** How many alerts to keep (default 200). */
  alertCap?: number;
  /** For the API calls the dashboard makes (acknowledging alerts); defaults to the global fetch. */
  fetch?: FetchLike;
  connection?: Omit<ConnectionOptions, 'onMessage'>;
}

export function createDashboard(options: DashboardOptions = {}): Dashboard {
  const { connection: connectionOptions, memoryCap, alertCap, fetch, ...requestOptions } = options;
  const { flushIntervalMs } = requestOptions;
  const requests = new BatchedList(REQUEST_LIST, requestOptions);
  const status = new StatusStore(flushIntervalMs);
  const memory = new MemorySamplesStore({ cap: memoryCap, flushIntervalMs });
  const models = new LoadedModelsStore(flushIntervalMs);
  const alerts = new AlertsStore({ cap: alertCap, flushIntervalMs, fetch });
  const loads = new LoadsStore({ flushIntervalMs });
  const view = new ViewState();
  // `connection` is assigned before any message can arrive (start() is called later).
  const watch: AgentWatch = new AgentWatch({ state: () => connection.state, fetch });
  const connection: Connection = new Connection({
    ...connectionOptions,
    onMessage: (message) => {
      watch.heard();
      applyMessage(message, {
        snapshot: (snapshot) => {
          status.set(snapshot.status);
          requests.replace(snapshot.requests);
          memory.replace(snapshot.memory);
          models.set(snapshot.models, snapshot.modelsCheckedAt);
          // An agent from before alerts sends no list: nothing fires.
          alerts.replace(snapshot.alerts ?? []);
          loads.replace(snapshot.loads ?? []);
        },
        request: (record) => requests.add(record),
        status: (next) => status.update(next),
        memory: (sample) => memory.add(sample),
        models: (list) => models.update(list),
        alert: (alert) => alerts.add(alert),
        load: (load) => loads.add(load),
      });
    },
  });
  return {
    requests,
    status,
    memory,
    models,
    alerts,
    loads,
    connection,
    watch,
    view,
    start: () => {
      connection.start();
      watch.start();
    },
    stop: () => {
      connection.stop();
      watch.stop();
      view.stopSync();
      requests.dispose();
      status.dispose();
      memory.dispose();
      models.dispose();
      alerts.dispose();
      loads.dispose();
    },
  };
}
