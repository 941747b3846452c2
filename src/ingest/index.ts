/**
 * Data in: file imports (seller-ERP and marketplace CSV/XLSX with header profiles), signed push and
 * connectors; every run is a `sync_runs` row with a row-level report. Filled by the data issue.
 */
export {};
