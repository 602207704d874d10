import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

export default defineConfig({
  plugins: [react()],
  server: {
    // In `pnpm dev` the api runs beside Vite; the browser only ever talks to one origin.
    proxy: {
      '/trpc': apiTarget,
      '/api': apiTarget,
      '/docs': apiTarget,
      '/healthz': apiTarget,
      '/readyz': apiTarget,
    },
  },
  build: { outDir: 'dist', emptyOutDir: true },
});
