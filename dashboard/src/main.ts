import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { createDashboard } from './lib/dashboard.js';

const target = document.getElementById('app');
if (target === null) throw new Error('ollama-lens: #app element missing');

const dashboard = createDashboard();
// Before mounting, so the first render already shows the view the link asked for.
dashboard.view.sync();
mount(App, { target, props: { dashboard } });
dashboard.start();
