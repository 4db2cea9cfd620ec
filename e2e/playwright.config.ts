import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright's own browser download cannot run on these machines.
const chromiumPath = process.env['WTSC_CHROMIUM'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: __dirname,
  outputDir: '../test-results',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  use: { viewport: { width: 1280, height: 800 } },
  projects: [
    {
      name: 'chromium',
      testMatch: /(console|fault-matrix|right-person|browser-host|accessibility|groups|processes|rules|remote-control|connect-as|history)\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath,
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
