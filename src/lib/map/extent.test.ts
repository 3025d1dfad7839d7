import { describe, expect, it } from 'vitest';
import { extentOf } from './extent.ts';

const counties = [
	{ code: '511304', bbox: [105.8, 30.5, 106.3, 31.0] as [number, number, number, number] },
	{ code: '360731', bbox: [115.2, 25.6, 115.9, 26.4] as [number, number, number, number] }
];

describe('extentOf', () => {
	it('covers all counties when none is selected', () => {
		expect(extentOf(counties, null)).toEqual([105.8, 25.6, 115.9, 31.0]);
	});
	it('is the selected county alone', () => {
		expect(extentOf(counties, '360731')).toEqual([115.2, 25.6, 115.9, 26.4]);
	});
	it('falls back to all counties for an unknown code, and to null without counties', () => {
		expect(extentOf(counties, '999999')).toEqual([105.8, 25.6, 115.9, 31.0]);
		expect(extentOf([], null)).toBeNull();
	});
});
