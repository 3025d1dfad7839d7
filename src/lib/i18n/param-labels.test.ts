// The layer panel's labels of causes, chains and stages (messages.ts) exist in both languages for
// every value the parameters allow, and say what the layers' own labels say (a tooltip and the
// selector must not name the same thing differently).
import { describe, expect, it } from 'vitest';
import { CHAINS, POVERTY_CAUSES, STAGES } from '$lib/layers/params';
import { CAUSE_LABELS } from '$lib/layers/poverty-density/definition';
import { CHAIN_LABELS, STAGE_LABELS } from '$lib/layers/industrial-chain-coverage/coverage';
import { LOCALES, lookup, messages } from './index.ts';

const cases = [
	{ prefix: 'cause', values: POVERTY_CAUSES, layer: CAUSE_LABELS as Record<string, { 'zh-CN': string; en: string }> },
	{ prefix: 'chain', values: CHAINS, layer: CHAIN_LABELS as Record<string, { 'zh-CN': string; en: string }> },
	{ prefix: 'stage', values: STAGES, layer: STAGE_LABELS as Record<string, { 'zh-CN': string; en: string }> }
];

describe('parameter labels', () => {
	for (const { prefix, values, layer } of cases) {
		it(`names every ${prefix} in both languages, as the layers do`, () => {
			for (const locale of LOCALES) {
				for (const value of values) {
					const label = lookup(messages(locale), `${prefix}.${value}`);
					expect(label, `${locale} ${prefix}.${value}`).toBeTruthy();
					expect(label, `${locale} ${prefix}.${value}`).toBe(layer[value]?.[locale]);
				}
			}
		});
	}
});
