// One scheduler for every history chart: together they redraw at most 4 times per second.
import { createRenderScheduler } from './schedule.js';

export const renderScheduler = createRenderScheduler();
