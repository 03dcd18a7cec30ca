/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  // Relative asset paths: the Tauri shell serves ui/dist from its own origin.
  base: './',
  clearScreen: false,
  // Component tests run in jsdom and need Svelte's browser build, not its SSR one.
  resolve: mode === 'test' ? { conditions: ['browser'] } : undefined,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // Stylesheets are blanked in tests, except the one a test reads as text (a11y.test.ts).
    css: { include: [/app\.css\?raw$/] },
  },
}));
