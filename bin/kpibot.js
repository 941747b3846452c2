#!/usr/bin/env node
// Runs the TypeScript CLI straight after `npm install`, with no build step: tsx registers its
// ESM loader, then the CLI module is imported from src/.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
