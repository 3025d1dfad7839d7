// User-facing strings of the importer area, in zh-CN and en (same keys; the type checker enforces it).
// Keys start with 'importer.'. Merged into the app's dictionaries by ../messages.ts.

export const zhCN = {} as const satisfies Record<string, string>;

export const en: { readonly [K in keyof typeof zhCN]: string } = {};
