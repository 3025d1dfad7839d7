import type { FileInput } from '../input.ts';
import { FormatError, type Limits, type ReadOptions, type RecordSource } from '../types.ts';

export async function openGpkg(file: FileInput, _options: ReadOptions, _limits: Limits): Promise<RecordSource> {
	throw new FormatError('unsupported', `${file.name}: GeoPackage reading is not available yet`, { file: file.name });
}
