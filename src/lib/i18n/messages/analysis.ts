// User-facing strings of the analysis area, in zh-CN and en (same keys; the type checker enforces it).
// Keys start with 'analysis.'. Merged into the app's dictionaries by ../messages.ts.

export const zhCN = {
	'analysis.dock': '规划分析'
} as const satisfies Record<string, string>;

export const en: { readonly [K in keyof typeof zhCN]: string } = {
	'analysis.dock': 'Planning analyses'
};
