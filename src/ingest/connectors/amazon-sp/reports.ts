/**
 * Reports API 2021-06-30 (https://developer-docs.amazon.com/sp-api/docs/reports-api-v2021-06-30-reference):
 * createReport → poll getReport until DONE / CANCELLED / FATAL → getReportDocument → download
 * the (usually gzipped) document from its presigned URL. CANCELLED with no document means
 * "no data for that range" (Amazon cancels empty reports), which is an empty answer, not an error.
 */
import { ConnectorError, type PullContext } from '../types.ts';
import { pollReport, type AmazonHttp } from './http.ts';

const BASE = '/reports/2021-06-30';

export interface ReportRequest {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: string;
  dataEndTime: string;
  reportOptions?: Record<string, string>;
}

interface ReportStatus {
  reportId?: unknown;
  processingStatus?: unknown;
  reportDocumentId?: unknown;
}

const FINAL = new Set(['DONE', 'CANCELLED', 'FATAL']);

/** The report's text, or null when Amazon cancelled it for having no data. */
export async function fetchReport(ctx: PullContext, http: AmazonHttp, req: ReportRequest, maxPolls: number): Promise<string | null> {
  const created = await http.json<{ reportId?: unknown }>('createReport', `${BASE}/reports`, { method: 'POST', body: req });
  if (typeof created?.reportId !== 'string') throw new ConnectorError('malformed_response', 'createReport answered without a reportId');
  const id = created.reportId;
  const status = await pollReport(ctx, {
    what: req.reportType,
    maxPolls,
    status: () => http.json<ReportStatus>('getReport', `${BASE}/reports/${encodeURIComponent(id)}`),
    done: (s) => typeof s?.processingStatus === 'string' && FINAL.has(s.processingStatus),
  });
  if (status.processingStatus === 'CANCELLED' && !status.reportDocumentId) return null;
  if (status.processingStatus === 'FATAL') {
    throw new ConnectorError('provider_unavailable', `Amazon could not produce the ${req.reportType} report (FATAL); it will be retried on the next run`);
  }
  if (typeof status.reportDocumentId !== 'string') throw new ConnectorError('malformed_response', `the ${req.reportType} report is DONE without a reportDocumentId`);
  const doc = await http.json<{ url?: unknown; compressionAlgorithm?: unknown }>('getReportDocument', `${BASE}/documents/${encodeURIComponent(status.reportDocumentId)}`);
  if (typeof doc?.url !== 'string') throw new ConnectorError('malformed_response', `the ${req.reportType} document has no url`);
  return http.download(req.reportType, doc.url, doc.compressionAlgorithm === 'GZIP');
}
