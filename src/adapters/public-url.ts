/**
 * Whether a platform's servers (and people's phones) could fetch from a base URL: adapters that
 * can show images by URL (Slack `image_url`, DingTalk markdown images) fall back to uploads when
 * PUBLIC_URL is loopback, a private range or a single-label host.
 */
const PRIVATE_HOST = /^(localhost|.*\.local|.*\.internal|.*\.lan|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|169\.254\.\d+\.\d+|0\.0\.0\.0|\[?::1?\]?|\[?f[cd][0-9a-f]*:.*)$/i;

export function isPublicUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname;
  return host.includes('.') && !PRIVATE_HOST.test(host);
}
