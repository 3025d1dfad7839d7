// The client's current locale as a small rune class: components read `locale.current` and
// `locale.m` (the messages), and `locale.t(key)`; `set()` switches language, remembers the choice
// in the `lang` cookie (a year) and in the URL (`?lang=`), and updates <html lang>.
import { getContext, setContext } from 'svelte';
import { LOCALE_COOKIE, LOCALE_PARAM, DEFAULT_LOCALE, format, messages, type Locale, type MessageKey } from './index.ts';

export class LocaleState {
	#current = $state<Locale>(DEFAULT_LOCALE);
	readonly m = $derived(messages(this.#current));

	constructor(initial: Locale = DEFAULT_LOCALE) {
		this.#current = initial;
	}

	get current(): Locale {
		return this.#current;
	}

	t(key: MessageKey, params?: Record<string, string | number>): string {
		return format(this.m[key], params);
	}

	/**
	 * Switch language. Returns the URL that now carries the choice; the caller writes it to the
	 * history (SvelteKit's `replaceState`), which this class cannot import without the app runtime.
	 */
	set(locale: Locale, url: URL): URL {
		this.#current = locale;
		const next = new URL(url);
		next.searchParams.set(LOCALE_PARAM, locale);
		if (typeof document !== 'undefined') {
			document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
			document.documentElement.lang = locale;
		}
		return next;
	}
}

// One LocaleState per page tree, reached through context (a module-level instance would be shared
// between concurrent requests during server rendering).
const KEY = Symbol('lantu.locale');

export function setLocaleState(state: LocaleState): LocaleState {
	return setContext(KEY, state);
}

export function getLocaleState(): LocaleState {
	const state = getContext<LocaleState | undefined>(KEY);
	if (!state) throw new Error('getLocaleState() called outside a tree that called setLocaleState()');
	return state;
}
