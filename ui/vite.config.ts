import { defineConfig } from 'vitest/config';

// Relative asset paths: the app loads dist/ from its own asset protocol.
// JSX is compiled by Vite's built-in transform for Preact's automatic runtime
// (tsconfig: jsx react-jsx, jsxImportSource preact): no plugin needed.
export default defineConfig({
  base: './',
  clearScreen: false,
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    target: 'es2021',
    outDir: 'dist',
    emptyOutDir: true,
    // The fake backend is its own chunk, loaded only outside the app.
    modulePreload: { polyfill: false },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    env: { TZ: 'Asia/Ho_Chi_Minh' },
  },
});
