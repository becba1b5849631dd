import { defineConfig } from 'vitest/config';

// Relative asset paths: the app loads dist/ from its own asset protocol.
export default defineConfig({
  base: './',
  clearScreen: false,
  build: {
    target: 'es2021',
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
  },
});
