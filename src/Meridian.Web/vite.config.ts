/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves the built app from its wwwroot (see Meridian.Server.csproj, target BuildWebApp).
// `npm run dev` serves the app with hot reload and forwards API, auth and socket calls to a running server.
const server = process.env.MERIDIAN_SERVER ?? 'http://localhost:5080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: '../Meridian.Server/wwwroot',
    emptyOutDir: true,
    // No inline scripts: the page's Content-Security-Policy allows only the app's own files.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': server,
      '/auth': server,
      '/health': server,
      '/docs': server,
      '/openapi': server,
      '/ws': { target: server, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
