import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { createDashboard } from './lib/dashboard.js';

const target = document.getElementById('app');
if (target === null) throw new Error('ollama-lens: #app element missing');

const dashboard = createDashboard();
mount(App, { target, props: { dashboard } });
dashboard.start();
