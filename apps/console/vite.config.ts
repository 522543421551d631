import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the BFF at /console (apps/bff/src/plugins/static-client.ts); `npm run dev` proxies
// the API to a BFF on :3000 so the dev server speaks to real data.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: false, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5174,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
