/**
 * Moving a history between machines (`wirediff export` and `wirediff import`): the public face of
 * src/store/interchange/. The format and its types are in format.ts (read its comment first); the line schemas in
 * schema.ts; writing an export in export.ts; reading and checking a whole file in validate.ts; the import (new,
 * resumed and refused articles, in memory or streamed from the file) in import.ts.
 */
export {
  EXPORT_SCHEMA,
  EXPORT_SCHEMA_V1,
  EXPORT_TYPE,
  type ExportEventLine,
  type ExportEventRef,
  type ExportHeader,
  type ExportVariantsLine,
  type ExportVersionLine,
  type HistoryProgress,
  type ImportedArticle,
  type ImportedVersion,
  type ParsedExport,
  type VersionIdentity,
} from './format.js';
export { exportHistory, type ExportOptions, type ExportResult } from './export.js';
export { checkExportFile, readExport, type CheckedExportFile, type ReadExportOptions } from './validate.js';
export {
  importExportFile,
  importHistory,
  newVersionOf,
  type ImportOptions,
  type ImportResult,
  type ImportedArticleResult,
} from './import.js';
