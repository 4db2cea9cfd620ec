// The main window's size and position, remembered between runs. Plain Node: main.ts passes in the
// displays' work areas, so a window saved on a monitor that is gone comes back on one that exists.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../main/util/atomic-file';

export interface Rect { x: number; y: number; width: number; height: number }
export interface WindowState extends Rect { maximized: boolean }

export const DEFAULT_WINDOW: WindowState = { x: 0, y: 0, width: 1280, height: 800, maximized: false };
const MIN = { width: 720, height: 480 };

const stateSchema = z.strictObject({
  x: z.number().int().min(-100_000).max(100_000),
  y: z.number().int().min(-100_000).max(100_000),
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
});

export function windowStatePath(dataDirectory: string): string { return join(dataDirectory, 'window-state.json'); }

/** The saved state, fitted to the current displays; centered defaults when nothing usable was saved. */
export async function loadWindowState(dataDirectory: string, workAreas: readonly Rect[]): Promise<WindowState> {
  let saved: WindowState | null = null;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(await readFile(windowStatePath(dataDirectory), 'utf8')));
    if (parsed.success) saved = parsed.data;
  } catch { /* missing or unreadable: start fresh */ }
  return fitToDisplays(saved, workAreas);
}

export function fitToDisplays(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: DEFAULT_WINDOW.width, height: DEFAULT_WINDOW.height };
  const centered = (w: number, h: number, area: Rect): WindowState => ({
    x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h, maximized: saved?.maximized ?? false,
  });
  if (!saved) return centered(Math.min(DEFAULT_WINDOW.width, primary.width), Math.min(DEFAULT_WINDOW.height, primary.height), primary);
  // The display holding the window's centre, if it is still attached.
  const cx = saved.x + saved.width / 2, cy = saved.y + saved.height / 2;
  const home = workAreas.find((a) => cx >= a.x && cx < a.x + a.width && cy >= a.y && cy < a.y + a.height);
  const area = home ?? primary;
  const width = Math.max(Math.min(saved.width, area.width), Math.min(MIN.width, area.width));
  const height = Math.max(Math.min(saved.height, area.height), Math.min(MIN.height, area.height));
  if (!home) return centered(width, height, area);
  const x = Math.min(Math.max(saved.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(saved.y, area.y), area.y + area.height - height);
  return { x, y, width, height, maximized: saved.maximized };
}

export async function saveWindowState(dataDirectory: string, state: WindowState): Promise<void> {
  const checked = stateSchema.parse({ ...state, x: Math.round(state.x), y: Math.round(state.y), width: Math.round(state.width), height: Math.round(state.height) });
  await writeFileAtomically(windowStatePath(dataDirectory), `${JSON.stringify(checked)}\n`);
}
