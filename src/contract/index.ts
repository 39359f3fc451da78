// hostup-api/contract: check recorded traffic against the HostUp descriptions this package ships (strictly: a
// property the spec does not declare is drift), match requests to operations, report coverage of operation x
// status, scrub and normalise recordings, and scan them for credentials. Needs Node (it reads the shipped bundles
// from disk) and Ajv; an app that imports only `hostup-api` never loads this entry.
export {
  type CheckOptions,
  type CheckResult,
  checkRecordings,
  EXIT,
  type ExitCode,
  verdict,
} from "./check.js";
export { type CliIo, HELP, runCli } from "./command.js";
export {
  type Coverage,
  type CoverageHit,
  type CoverageRow,
  computeCoverage,
  formatCoverageTable,
  touchedRows,
} from "./coverage.js";
export { type DriftFinding, type FindingKind, formatFindings } from "./findings.js";
export { annotations, summaryMarkdown } from "./github.js";
export {
  buildEntry,
  buildHar,
  type EntryInput,
  type Exchange,
  type Har,
  type HarEntry,
  HarFormatError,
  type HarNameValue,
  parseHar,
  readHar,
  serializeHar,
  toExchange,
  writeHar,
} from "./har.js";
export { matchOperation, type OperationMatch, specFor } from "./match.js";
export { normaliseHar } from "./normalise.js";
export {
  checkExchanges,
  type ExchangeFinding,
  exchangesOf,
  harFiles,
  type RecordedExchange,
  type Recording,
  RecordingPathError,
  readRecordings,
} from "./recordings.js";
export { formatJson, formatJunit, formatReport, formatText, type ReportFormat } from "./reports.js";
export {
  isCredentialName,
  MIN_SECRET_LENGTH,
  PLACEHOLDER,
  type ScrubOptions,
  scrubHar,
  scrubSecrets,
} from "./scrub.js";
export {
  formatSecretFindings,
  type ScanOptions,
  type SecretFinding,
  scanStructure,
  scanText,
} from "./secrets.js";
export {
  API_VERSIONS,
  type ApiVersion,
  documentedStatuses,
  type LoadedSpec,
  listOperations,
  loadSpec,
  loadSpecs,
  type OpenApiDoc,
  type OperationRef,
  type Route,
  specFromDocument,
} from "./spec.js";
export { strictCopy } from "./strict.js";
export { describeOperation, type ExchangeInput, validateExchange } from "./validate.js";
