// One HiGHS (WebAssembly) runtime per process, loaded on first use (~50 ms). Solves are synchronous
// and single-threaded once it is loaded: run long solves in a worker to keep a server responsive.
// Node finds highs.wasm beside the package; a browser build would need `locateFile`.
import loadHighs, { type Highs } from 'highs';

let loading: Promise<Highs> | undefined;

export function getHighs(): Promise<Highs> {
	loading ??= loadHighs();
	return loading;
}
