/*
 * Imported first by main.ts: every module of lib/ the command line loads after this one is compiled
 * with the code cache the build made of serve's start, when it holds the module (start-cache.ts).
 */
import * as path from 'node:path';
import { START_CACHE_FILE, installStartCache } from './start-cache';

installStartCache(path.join(__dirname, '..'), path.join(__dirname, START_CACHE_FILE));
