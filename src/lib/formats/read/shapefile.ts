import { FormatError, type Limits, type ReadOptions, type RecordSource } from '../types.ts';
import type { SafeZip } from '../zip.ts';

export async function openShapefile(zip: SafeZip, _options: ReadOptions, _limits: Limits): Promise<RecordSource> {
	throw new FormatError('unsupported', `${zip.file}: shapefile reading is not available yet`, { file: zip.file });
}
