import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// `RECORD_HISTORIES=NAME npm run record-histories`: records replay fixtures (test/replay/record-histories.ts).
export default defineConfig({
  test: { ...base.test, include: ['test/replay/record-histories.ts'], testTimeout: 180_000 },
});
