import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The agent console (src/console), served by deskmate-server at /agent/ and
// embedded in its binary from dist-console (see crates/deskmate-server/build.rs).
export default defineConfig({
  // The Svelte config is the app's, one level above this root.
  plugins: [svelte({ configFile: '../svelte.config.js' })],
  root: 'console',
  base: '/agent/',
  clearScreen: false,
  build: {
    outDir: '../dist-console',
    emptyOutDir: true,
    target: 'es2022',
    // The server's CSP allows no inline script, style or data: module.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
