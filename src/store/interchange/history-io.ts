/**
 * Moving a history between machines (`wirediff export` and `wirediff import`): the public face of
 * src/store/interchange/. The format and its types are in format.ts (read its comment first); the line schemas in
 * schema.ts; writing an export in export.ts; reading and checking a whole file in validate.ts; the import (new,
 * resumed and refused articles, in memory or streamed from the file) in import.ts.
 */
export { EXPORT_SCHEMA, EXPORT_SCHEMA_V1, type HistoryProgress, type ParsedExport } from './format.js';
export { exportHistory, type ExportOptions, type ExportResult } from './export.js';
export { checkExportFile, readExport, type CheckedExportFile } from './validate.js';
export { importExportFile, importHistory, newVersionOf, type ImportResult } from './import.js';
