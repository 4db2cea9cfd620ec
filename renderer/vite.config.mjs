import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const outDir = fileURLToPath(new URL('../dist/renderer', import.meta.url));

/**
 * Pins the page's script by hash: the built bundle is inlined into index.html and the CSP's
 * script-src names exactly its SHA-384, so no other script — however it came to sit beside the
 * app — can run in the window. Inline rather than an external file with an integrity attribute,
 * because Subresource Integrity on file:// depends on CORS handling of local files.
 */
function pinScriptByHash() {
  return {
    name: 'wtsc-pin-script-by-hash',
    apply: 'build',
    closeBundle() {
      const indexPath = join(outDir, 'index.html');
      let pinned = null;
      let html = readFileSync(indexPath, 'utf8').replace(/<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"[^>]*><\/script>/, (_tag, file) => {
        const code = readFileSync(join(outDir, file), 'utf8')
          .replace(/\/\/# sourceMappingURL=(\S+)\s*$/, (_c, map) => `//# sourceMappingURL=assets/${map}`)
          .replaceAll('</script', '<\\/script');
        pinned = `'sha384-${createHash('sha384').update(code).digest('base64')}'`;
        unlinkSync(join(outDir, file));
        return `<script type="module">${code}</script>`;
      });
      if (pinned === null) throw new Error('pin-script-by-hash: the built index.html has no module script to pin');
      if (!html.includes("script-src 'none'")) throw new Error("pin-script-by-hash: the CSP template must say script-src 'none'");
      html = html.replace("script-src 'none'", `script-src ${pinned}`);
      writeFileSync(indexPath, html);
    },
  };
}

// Relative asset paths: the app loads the build from file:// in Electron.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), pinScriptByHash()],
  build: { outDir, emptyOutDir: true, sourcemap: true, modulePreload: false },
});
