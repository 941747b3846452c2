/** `kpibot workspace list|create|bind|set|delete`. */
import { UsageError } from '../usage.ts';
import type { CliContext } from '../context.ts';
import {
  PLATFORMS,
  bindTenant,
  createWorkspace,
  deleteWorkspace,
  listWorkspaces,
  setWorkspaceField,
  type ChatPlatform,
  type WorkspaceSettingKey,
} from '../../tenancy/workspaces.ts';
import { checkWorkspaceSetting } from '../../tenancy/workspace-settings.ts';

export interface WorkspaceArgs {
  sub: string | undefined;
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  json: boolean;
}

function checkValue(key: WorkspaceSettingKey, value: string): string {
  const checked = checkWorkspaceSetting(key, value);
  if (!checked.ok) throw new UsageError(checked.message.en);
  return checked.value;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export async function workspaceCommand(ctx: CliContext, a: WorkspaceArgs): Promise<void> {
  const id = a.positionals[0];
  switch (a.sub) {
    case 'list': {
      const rows = await listWorkspaces(ctx.database.db);
      if (a.json) return ctx.out(JSON.stringify(rows));
      if (rows.length === 0) return ctx.out('no workspaces');
      for (const w of rows) ctx.out(`${w.id}\t${w.name}\t${w.timezone}\t${w.currency}\t${w.locale}${w.isDemo ? '\t(demo)' : ''}`);
      return;
    }
    case 'create': {
      if (!id) throw new UsageError('workspace create needs an id: kpibot workspace create <id>');
      const ws = await createWorkspace(
        ctx.database.db,
        {
          id,
          name: str(a.options.name),
          timezone: checkValue('timezone', str(a.options.timezone) ?? ctx.config.defaultTimezone),
          currency: checkValue('currency', str(a.options.currency) ?? ctx.config.defaultCurrency),
          locale: checkValue('locale', str(a.options.locale) ?? ctx.config.defaultLocale) as 'zh-CN' | 'en',
        },
        ctx.actor,
      );
      return ctx.out(a.json ? JSON.stringify(ws) : `created workspace ${ws.id} (${ws.timezone}, ${ws.currency}, ${ws.locale})`);
    }
    case 'bind': {
      const platform = str(a.options.platform);
      const tenant = str(a.options.tenant);
      if (!id || !platform || !tenant) throw new UsageError('usage: kpibot workspace bind <id> --platform P --tenant T');
      if (!(PLATFORMS as readonly string[]).includes(platform)) throw new UsageError(`--platform must be one of ${PLATFORMS.join(', ')}`);
      await bindTenant(ctx.database.db, { workspaceId: id, platform: platform as ChatPlatform, tenantKey: tenant, boundBy: 'cli' }, ctx.actor);
      return ctx.out(a.json ? JSON.stringify({ workspace: id, platform, tenant }) : `bound ${platform} tenant ${tenant} to workspace ${id}`);
    }
    case 'set': {
      const [, key, value] = a.positionals;
      if (!id || !key || value === undefined) throw new UsageError('usage: kpibot workspace set <id> timezone|currency|locale <value>');
      if (key !== 'timezone' && key !== 'currency' && key !== 'locale') throw new UsageError('you can set timezone, currency or locale');
      const ws = await setWorkspaceField(ctx.database.db, id, key, checkValue(key, value), ctx.actor);
      return ctx.out(a.json ? JSON.stringify(ws) : `workspace ${id}: ${key} = ${ws[key]}`);
    }
    case 'delete': {
      if (!id) throw new UsageError('usage: kpibot workspace delete <id> --yes');
      if (a.options.yes !== true) {
        throw new UsageError(`this deletes workspace ${id} and all its data; export it first, then add --yes`);
      }
      await deleteWorkspace(ctx.database.db, id, ctx.actor);
      return ctx.out(a.json ? JSON.stringify({ deleted: id }) : `deleted workspace ${id}`);
    }
    default:
      throw new UsageError('usage: kpibot workspace list|create|bind|set|delete …');
  }
}
