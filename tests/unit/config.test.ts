import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('runs with no environment at all: PGlite under ./data, demo on, console on loopback', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.pgliteDir.endsWith('/data/pglite')).toBe(true);
    expect(c.demo).toBe('auto');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.defaultTimezone).toBe('Asia/Shanghai');
    expect(c.defaultCurrency).toBe('CNY');
    expect(c.defaultLocale).toBe('zh-CN');
    expect(c.console.enabled).toBe(true);
    expect(c.slack).toBeUndefined();
    expect(c.feishu).toBeUndefined();
    expect(c.dingtalk).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '  ' }).port).toBe(3000);
  });

  it('reads a full valid environment', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@db:5432/kpi',
      PUBLIC_URL: 'https://kpi.example.com/',
      DEFAULT_TIMEZONE: 'America/Los_Angeles',
      DEFAULT_CURRENCY: 'USD',
      DEFAULT_LOCALE: 'en',
      CONSOLE: 'on',
      CONSOLE_TOKEN: 'c'.repeat(20),
      SLACK_SIGNING_SECRET: 's',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      FEISHU_APP_ID: 'cli_1',
      FEISHU_APP_SECRET: 'sec',
      FEISHU_MODE: 'ws',
      DINGTALK_CLIENT_ID: 'ding1',
      DINGTALK_CLIENT_SECRET: 'dsec',
    });
    expect(c.port).toBe(8080);
    expect(c.loopbackHost).toBe(false);
    expect(c.publicUrl).toBe('https://kpi.example.com');
    expect(c.console).toEqual({ enabled: true, token: 'c'.repeat(20) });
    expect(c.slack?.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.slack?.appToken).toBeUndefined();
    expect(c.feishu?.mode).toBe('ws');
    expect(c.feishu?.domain).toBe('https://open.feishu.cn');
    expect(c.dingtalk?.robotCode).toBe('ding1');
    expect(c.warnings).toEqual([]);
  });

  it('lists every bad key, one line each', () => {
    const p = problems({ PORT: 'eighty', DEMO: 'sometimes', DEFAULT_TIMEZONE: 'Mars/Olympus', DEFAULT_CURRENCY: 'yuan', DATABASE_URL: 'mysql://x' });
    expect(p).toHaveLength(5);
    expect(p.find((l) => l.startsWith('PORT'))).toBeDefined();
    expect(p.find((l) => l.startsWith('DEMO'))).toBeDefined();
    expect(p.find((l) => l.startsWith('DEFAULT_TIMEZONE'))).toMatch(/IANA/);
    expect(p.find((l) => l.startsWith('DEFAULT_CURRENCY'))).toMatch(/ISO 4217/);
    expect(p.find((l) => l.startsWith('DATABASE_URL'))).toMatch(/postgres/);
  });

  it('names the missing keys of a partial platform block', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb' })).toEqual([
      'Slack is partly configured (SLACK_BOT_TOKEN set): missing SLACK_SIGNING_SECRET',
    ]);
    const feishu = problems({ FEISHU_APP_ID: 'a', FEISHU_APP_SECRET: 'b' });
    expect(feishu).toHaveLength(1);
    expect(feishu[0]).toMatch(/Feishu.*missing FEISHU_VERIFICATION_TOKEN/);
    expect(problems({ DINGTALK_ROBOT_CODE: 'r' })[0]).toMatch(/missing DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET/);
  });

  it('needs no verification token for Feishu in long-connection mode', () => {
    expect(loadConfig({ FEISHU_APP_ID: 'a', FEISHU_APP_SECRET: 'b', FEISHU_MODE: 'ws' }).feishu?.mode).toBe('ws');
  });

  it('reports problems from several blocks together', () => {
    const p = problems({ SLACK_SIGNING_SECRET: 's', DINGTALK_CLIENT_SECRET: 'x', PORT: '-1' });
    // Schema errors come first and stop the block checks; fix them, then the blocks are checked.
    expect(p).toEqual([expect.stringMatching(/^PORT/)]);
    const q = problems({ SLACK_SIGNING_SECRET: 's', DINGTALK_CLIENT_SECRET: 'x' });
    expect(q).toHaveLength(2);
  });

  it('refuses CONSOLE=on on a public bind without a token, and turns auto off there', () => {
    expect(problems({ CONSOLE: 'on', HOST: '0.0.0.0' })[0]).toMatch(/CONSOLE_TOKEN/);
    expect(loadConfig({ HOST: '0.0.0.0' }).console.enabled).toBe(false);
    expect(loadConfig({ CONSOLE: 'off' }).console.enabled).toBe(false);
  });

  it('warns when a public bind has no PUBLIC_URL and never derives it from 0.0.0.0', () => {
    const c = loadConfig({ HOST: '0.0.0.0', PORT: '4000' });
    expect(c.warnings[0]).toMatch(/PUBLIC_URL/);
    expect(c.publicUrl).toBe('http://localhost:4000');
  });

  it('rejects short secrets', () => {
    expect(problems({ API_TOKEN: 'short' })[0]).toMatch(/^API_TOKEN: .*16/);
  });
});
