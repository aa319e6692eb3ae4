import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The dashboard is built into dist/dashboard and served by the agent at `/`.
// In `npm run dev:dashboard`, API and WebSocket calls go to a running agent on :7878.
export default defineConfig({
  root: 'dashboard',
  plugins: [svelte()],
  build: { outDir: '../dist/dashboard', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:7878',
      '/ws': { target: 'ws://127.0.0.1:7878', ws: true },
    },
  },
});
