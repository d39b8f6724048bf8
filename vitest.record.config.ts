import { defineConfig } from 'vitest/config';
import { STACK } from './vitest.config';

// `RECORD_HISTORIES=NAME npm run record-histories`: records replay fixtures (test/replay/record-histories.ts).
export default defineConfig({
  test: { ...STACK, include: ['test/replay/record-histories.ts'], testTimeout: 180_000, hookTimeout: 120_000 },
});
