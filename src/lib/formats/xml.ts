// Streaming XML for XLSX parts (saxes). No DTD is accepted at all: XLSX never has one, and refusing
// it outright closes the door on external entities and entity-expansion bombs. saxes itself expands
// only the five predefined entities and character references.
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { FormatError } from './types.ts';

export interface XmlHandlers {
	open?(tag: SaxesTagPlain): void;
	close?(name: string): void;
	text?(text: string): void;
}

/** A push parser: write() byte chunks, then end(). Handler exceptions propagate out of write(). */
export class XmlStream {
	readonly #parser: SaxesParser;
	readonly #decoder = new TextDecoder('utf-8', { fatal: true });

	constructor(
		readonly file: string,
		readonly part: string,
		handlers: XmlHandlers
	) {
		const parser = new SaxesParser({ position: true });
		parser.on('doctype', () => {
			throw new FormatError('corrupt', `${file}: the part ${part} declares a DTD, which is not accepted in a workbook`, {
				file,
				entry: part
			});
		});
		parser.on('error', (error) => {
			throw new FormatError('corrupt', `${file}: the part ${part} is not well-formed XML (${error.message})`, { file, entry: part });
		});
		if (handlers.open) parser.on('opentag', handlers.open);
		if (handlers.close) parser.on('closetag', (tag) => handlers.close!(tag.name));
		if (handlers.text) {
			parser.on('text', handlers.text);
			parser.on('cdata', handlers.text);
		}
		this.#parser = parser;
	}

	write(bytes: Uint8Array): void {
		let text: string;
		try {
			text = this.#decoder.decode(bytes, { stream: true });
		} catch {
			throw new FormatError('encoding', `${this.file}: the part ${this.part} is not UTF-8`, { file: this.file, entry: this.part });
		}
		this.#parser.write(text);
	}

	end(): void {
		try {
			this.#parser.write(this.#decoder.decode());
		} catch (error) {
			if (error instanceof FormatError) throw error;
			throw new FormatError('encoding', `${this.file}: the part ${this.part} is not UTF-8`, { file: this.file, entry: this.part });
		}
		this.#parser.close();
	}
}

/** Parse a whole (small) part. */
export function parseXml(file: string, part: string, bytes: Iterable<Uint8Array>, handlers: XmlHandlers): void {
	const stream = new XmlStream(file, part, handlers);
	for (const chunk of bytes) stream.write(chunk);
	stream.end();
}

/** Local name of a possibly prefixed tag or attribute ("x:row" → "row"). */
export function local(name: string): string {
	const i = name.indexOf(':');
	return i < 0 ? name : name.slice(i + 1);
}

export function attr(tag: SaxesTagPlain, name: string): string | undefined {
	const direct = tag.attributes[name];
	if (direct !== undefined) return direct;
	for (const [key, value] of Object.entries(tag.attributes)) if (local(key) === name) return value;
	return undefined;
}
