#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx lekdicht` works straight from a clone without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../client/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
process.exit();
