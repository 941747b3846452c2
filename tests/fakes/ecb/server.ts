/**
 * A loopback ECB: serves the euro reference rates exactly as documented at
 * https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html
 * — `/stats/eurofxref/eurofxref-daily.xml` (the latest published day) and
 * `/stats/eurofxref/eurofxref-hist-90d.xml` (the last 90 days, newest first, as the real file is),
 * a gesmes:Envelope with one `<Cube time='…'>` per working day and `<Cube currency='USD'
 * rate='1.0763'/>` children. Tests queue failures (a 429 with Retry-After, a 503, a body that is
 * not the documented XML) and read the request log.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EcbFixtureDay {
  date: string;
  rates: Record<string, number>;
}

export type EcbFault = { status: 429; retryAfter?: number } | { status: 500 | 503 } | { status: 200; body: string };

export interface FakeEcb {
  /** Base URL to configure as the connector's `baseUrl`. */
  baseUrl: string;
  days: EcbFixtureDay[];
  /** Answered, in order, before the documented files. */
  faults: EcbFault[];
  requests: { path: string; at: number }[];
  close(): Promise<void>;
}

export function ecbXml(days: EcbFixtureDay[]): string {
  const cubes = [...days]
    .sort((a, b) => b.date.localeCompare(a.date))
    .map((d) => `\t\t<Cube time='${d.date}'>\n${Object.entries(d.rates).map(([c, r]) => `\t\t\t<Cube currency='${c}' rate='${r}'/>`).join('\n')}\n\t\t</Cube>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
${cubes}
\t</Cube>
</gesmes:Envelope>
`;
}

export async function startFakeEcb(days: EcbFixtureDay[]): Promise<FakeEcb> {
  const fake: FakeEcb = { baseUrl: '', days, faults: [], requests: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    fake.requests.push({ path, at: Date.now() });
    const fault = fake.faults.shift();
    if (fault) {
      if (fault.status === 429) res.writeHead(429, { 'content-type': 'text/plain', ...(fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {}) }).end('Too Many Requests');
      else if (fault.status === 200) res.writeHead(200, { 'content-type': 'text/xml' }).end(fault.body);
      else res.writeHead(fault.status, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    const sorted = [...fake.days].sort((a, b) => a.date.localeCompare(b.date));
    if (path === '/stats/eurofxref/eurofxref-daily.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(ecbXml(sorted.slice(-1)));
    else if (path === '/stats/eurofxref/eurofxref-hist-90d.xml') res.writeHead(200, { 'content-type': 'text/xml' }).end(ecbXml(sorted.slice(-64))); // ~90 calendar days of working days
    else res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not found</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/stats/eurofxref`;
  fake.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return fake;
}
