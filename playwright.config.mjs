import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser; flags keep it off the network.
const args = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

export default defineConfig({
  testDir: './e2e',
  workers: 1,
  retries: 0,
  timeout: 30_000,
  use: {
    baseURL: 'http://127.0.0.1:8081',
    launchOptions: { executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args },
    // The page's service worker would answer requests the tests watch; e2e/offline.spec.mjs
    // turns it on in a context of its own.
    serviceWorkers: 'block',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: { command: 'node scripts/serve.mjs 8081 dist', url: 'http://127.0.0.1:8081/', reuseExistingServer: false },
});
