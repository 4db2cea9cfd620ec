import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { applicationMenu } from './app-menu';
import type { MenuItemSpec } from './app-menu';
import { MENU_COMMANDS } from '../../shared/api';
import { DEFAULT_WINDOW, fitToDisplays, loadWindowState, saveWindowState, windowStatePath } from './window-state';
import { tempDataDir } from '../testing/test-farm';
import { isAppPage } from './app-page';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

describe('application menu', () => {
  for (const platform of ['win32', 'darwin', 'linux'] as const) {
    it(`offers every page command once, with unique accelerators (${platform})`, () => {
      const items: MenuItemSpec[] = applicationMenu(platform).flatMap((m) => m.items);
      const commands = items.flatMap((i) => ('command' in i ? [i.command] : []));
      assert.deepEqual([...commands].sort(), [...MENU_COMMANDS].sort());
      const accelerators = items.flatMap((i) => ('accelerator' in i && i.accelerator ? [i.accelerator] : []));
      assert.equal(new Set(accelerators).size, accelerators.length, 'no accelerator is bound twice');
      for (const role of ['quit', 'copy', 'paste', 'selectAll']) assert.ok(items.some((i) => 'role' in i && i.role === role), `has ${role}`);
      // Keys that edit text must stay with the page: a menu accelerator would swallow them in input fields.
      for (const item of items) if ('accelerator' in item && item.accelerator === 'Delete') assert.equal(item.acceleratorHandledByPage, true);
    });
  }
});

describe('the app page check (IPC senders and navigation)', () => {
  const page = pathToFileURL(join(tmpdir(), 'WTS Session Console', 'dist', 'renderer', 'index.html'));
  it('accepts exactly the app\'s page and refuses a foreign host, path, query or scheme', () => {
    assert.equal(isAppPage(page.href, page), true);
    assert.equal(isAppPage(`${page.href}#audit`, page), true, 'a fragment is the same document');
    const foreign = new URL(page.href);
    foreign.host = 'attacker.example';
    assert.equal(foreign.pathname, page.pathname);
    for (const url of [foreign.href, `${page.href}?x=1`, page.href.replace('index.html', 'other.html'), `http://127.0.0.1${page.pathname}`,
      page.href.replace('file:///', 'file://user:pw@/'), 'about:blank', 'not a url', undefined]) {
      assert.equal(isAppPage(url, page), false, String(url));
    }
  });
});

describe('window state', () => {
  const monitor = { x: 0, y: 0, width: 1920, height: 1040 };
  const second = { x: 1920, y: 0, width: 1280, height: 984 };

  it('round-trips through the data directory', async () => {
    const dir = tempDataDir();
    await saveWindowState(dir, { x: 2000, y: 40, width: 1000, height: 700, maximized: true });
    assert.deepEqual(await loadWindowState(dir, [monitor, second]), { x: 2000, y: 40, width: 1000, height: 700, maximized: true });
  });

  it('centres a window whose monitor is gone, and shrinks one larger than the screen', () => {
    assert.deepEqual(fitToDisplays({ x: 2000, y: 40, width: 1000, height: 700, maximized: false }, [monitor]), { x: 460, y: 170, width: 1000, height: 700, maximized: false });
    const big = fitToDisplays({ x: 10, y: 10, width: 5000, height: 4000, maximized: false }, [monitor]);
    assert.deepEqual([big.width, big.height], [1920, 1040]);
    const off = fitToDisplays({ x: 1800, y: 900, width: 800, height: 600, maximized: false }, [monitor]);
    assert.ok(off.x + off.width <= 1920 && off.y + off.height <= 1040, 'pulled back inside its display');
  });

  it('starts centred with defaults when the file is missing or invalid, and refuses to save nonsense', async () => {
    const dir = tempDataDir();
    assert.deepEqual(await loadWindowState(dir, [monitor]), { x: 320, y: 120, width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height, maximized: false });
    writeFileSync(windowStatePath(dir), '{"x":"left","y":0}');
    assert.equal((await loadWindowState(dir, [monitor])).width, DEFAULT_WINDOW.width);
    await assert.rejects(saveWindowState(dir, { x: Number.NaN, y: 0, width: 10, height: 10, maximized: false }));
  });
});
