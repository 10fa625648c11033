/** The whole table, by concern. */
import { ACCESS_CASES } from './access.js';
import { AUTH_CASES } from './auth.js';
import type { Case } from './case.js';
import { FILTER_CASES } from './filters.js';
import { GUARDRAIL_CASES } from './guardrails.js';
import { LIMIT_CASES } from './limits.js';
import { NAMING_CASES } from './naming.js';
import { NARROWING_CASES } from './narrowing.js';
import { UPSTREAM_CASES } from './upstreams.js';

export const CASES: readonly Case[] = [...AUTH_CASES, ...ACCESS_CASES, ...FILTER_CASES, ...NAMING_CASES, ...NARROWING_CASES, ...LIMIT_CASES, ...GUARDRAIL_CASES, ...UPSTREAM_CASES];
