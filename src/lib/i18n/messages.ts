// Every user-facing string, in zh-CN (the first language of the app) and en. Each area keeps its own
// dictionary pair in ./messages/<area>.ts; the zh-CN dictionary defines the keys and `en` must have
// exactly the same keys (the type checker enforces it), so a string can never exist in one language
// only. Templates use {name} placeholders, filled by `format()`.
import * as core from './messages/core.ts';
import * as analysis from './messages/analysis.ts';
import * as importer from './messages/importer.ts';

export const zhCN = { ...core.zhCN, ...analysis.zhCN, ...importer.zhCN } as const;

export type MessageKey = keyof typeof zhCN;
export type Messages = { readonly [K in MessageKey]: string };

export const en: Messages = { ...core.en, ...analysis.en, ...importer.en };
