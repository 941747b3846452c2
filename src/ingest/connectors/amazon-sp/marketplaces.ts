/**
 * SP-API marketplaces: which regional endpoint serves each marketplace id, and the zone its
 * reports count days in (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids and
 * .../sp-api-endpoints). Amazon's business reports use Pacific time for all North American
 * marketplaces and local time elsewhere.
 */
export type SpRegion = 'na' | 'eu' | 'fe';

export const SP_HOSTS: Record<SpRegion, string> = {
  na: 'https://sellingpartnerapi-na.amazon.com',
  eu: 'https://sellingpartnerapi-eu.amazon.com',
  fe: 'https://sellingpartnerapi-fe.amazon.com',
};

export interface Marketplace {
  country: string;
  region: SpRegion;
  timeZone: string;
  currency: string;
}

const m = (country: string, region: SpRegion, timeZone: string, currency: string): Marketplace => ({ country, region, timeZone, currency });

export const MARKETPLACES: Record<string, Marketplace> = {
  ATVPDKIKX0DER: m('US', 'na', 'America/Los_Angeles', 'USD'),
  A2EUQ1WTGCTBG2: m('CA', 'na', 'America/Los_Angeles', 'CAD'),
  A1AM78C64UM0Y8: m('MX', 'na', 'America/Los_Angeles', 'MXN'),
  A2Q3Y263D00KWC: m('BR', 'na', 'America/Sao_Paulo', 'BRL'),
  A1F83G8C2ARO7P: m('UK', 'eu', 'Europe/London', 'GBP'),
  A1PA6795UKMFR9: m('DE', 'eu', 'Europe/Berlin', 'EUR'),
  A13V1IB3VIYZZH: m('FR', 'eu', 'Europe/Paris', 'EUR'),
  APJ6JRA9NG5V4: m('IT', 'eu', 'Europe/Rome', 'EUR'),
  A1RKKUPIHCS9HS: m('ES', 'eu', 'Europe/Madrid', 'EUR'),
  A1805IZSGTT6HS: m('NL', 'eu', 'Europe/Amsterdam', 'EUR'),
  AMEN7PMS3EDWL: m('BE', 'eu', 'Europe/Brussels', 'EUR'),
  A2NODRKZP88ZB9: m('SE', 'eu', 'Europe/Stockholm', 'SEK'),
  A1C3SOZRARQ6R3: m('PL', 'eu', 'Europe/Warsaw', 'PLN'),
  A33AVAJ2PDY3EV: m('TR', 'eu', 'Europe/Istanbul', 'TRY'),
  A21TJRUUN4KGV: m('IN', 'eu', 'Asia/Kolkata', 'INR'),
  ARBP9OOSHTCHU: m('EG', 'eu', 'Africa/Cairo', 'EGP'),
  A17E79C6D8DWNP: m('SA', 'eu', 'Asia/Riyadh', 'SAR'),
  A2VIGQ35RCS4UG: m('AE', 'eu', 'Asia/Dubai', 'AED'),
  A1VC38T7YXB528: m('JP', 'fe', 'Asia/Tokyo', 'JPY'),
  A39IBJ37TRP1C6: m('AU', 'fe', 'Australia/Sydney', 'AUD'),
  A19VAU5U5O7RUS: m('SG', 'fe', 'Asia/Singapore', 'SGD'),
};
