import { defineConfig } from '@playwright/test';

// The renderer half of `npm run bench`: not part of `npm test`.
export default defineConfig({
  testDir: __dirname,
  testMatch: /renderer\.bench\.ts$/,
  outputDir: '../../test-results/bench',
  timeout: 600_000,
  workers: 1,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env['WTSC_CHROMIUM'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
