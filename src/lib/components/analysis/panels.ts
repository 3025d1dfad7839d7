// The analysis dock's tabs, in order. Each panel is a component in this folder that reads the map
// state (county, scenario, chain…) from context (getMapUrlState, getLocaleState) and fetches its own
// analysis endpoints. To add one: import it and add an entry; its title is an i18n key.
import type { Component } from 'svelte';
import type { MessageKey } from '$lib/i18n';
import ScenariosPanel from './ScenariosPanel.svelte';
import ChainGapsPanel from './ChainGapsPanel.svelte';
import SitingPanel from './SitingPanel.svelte';

export interface AnalysisPanel {
	/** Stable id: also the value of the `panel` URL parameter. */
	id: string;
	title: MessageKey;
	component: Component;
}

export const PANELS: AnalysisPanel[] = [
	// First: the scenario decides the parameters every other analysis reads.
	{ id: 'scenarios', title: 'analysis.scenario.tab', component: ScenariosPanel },
	{ id: 'siting', title: 'analysis.siting.tab', component: SitingPanel },
	{ id: 'chain-gaps', title: 'analysis.chain.title', component: ChainGapsPanel }
];
