/**
 * DingTalk's company directory through the bot's directory port (src/bot/directory.ts), on the
 * legacy API with the legacy token (open.dingtalk.com/document/orgapp/obtain-the-department-list-v2,
 * .../queries-the-complete-information-of-a-department-user):
 * - `POST /topapi/v2/department/listsub {dept_id}` → `result: [{dept_id, name, parent_id}]`,
 *   walked breadth-first from the root department 1 (`/topapi/v2/department/get` names the root);
 * - `POST /topapi/v2/user/list {dept_id, cursor, size}` → `result: {has_more, next_cursor,
 *   list: [{userid, unionid, name, email, mobile, dept_id_list, leader, active}]}`.
 * Cursors are our own JSON (pending departments; department index + DingTalk cursor), so a sync
 * resumes after the last stored page.
 */
import type { DirectoryDepartment, DirectoryPage, DirectoryPerson, DirectoryPort } from '../../bot/directory.ts';
import type { DingTalkClient } from './client.ts';

export const ROOT_DEPT = 1;
/** user/list takes at most 100 per page. */
export const USER_PAGE_SIZE = 100;

interface RawDept {
  dept_id?: number;
  name?: string;
  parent_id?: number;
}

interface RawUser {
  userid?: string;
  unionid?: string;
  name?: string;
  email?: string;
  org_email?: string;
  mobile?: string;
  dept_id_list?: number[];
  leader?: boolean;
  active?: boolean;
}

function parseCursor<T>(after: string | undefined, fallback: T): T {
  if (!after) return fallback;
  try {
    return JSON.parse(after) as T;
  } catch {
    return fallback;
  }
}

export function createDirectoryPort(client: DingTalkClient, tenantKey: string): DirectoryPort {
  async function children(deptId: number): Promise<RawDept[]> {
    const res = await client.oapi<{ result?: RawDept[] }>('/topapi/v2/department/listsub', { dept_id: deptId }, 'department/listsub', tenantKey);
    return Array.isArray(res.result) ? res.result : [];
  }

  async function allDeptIds(): Promise<number[]> {
    const ids = [ROOT_DEPT];
    for (let i = 0; i < ids.length; i++) for (const d of await children(ids[i]!)) if (typeof d.dept_id === 'number' && !ids.includes(d.dept_id)) ids.push(d.dept_id);
    return ids.sort((a, b) => a - b);
  }

  return {
    platform: 'dingtalk',
    tenantKey,

    async *listDepartments(after?: string): AsyncIterable<DirectoryPage<DirectoryDepartment>> {
      const resumed = parseCursor<{ queue: number[]; seen: number[] } | null>(after, null);
      let queue: number[] = resumed?.queue ?? [ROOT_DEPT];
      const seen = new Set<number>(resumed?.seen ?? [ROOT_DEPT]);
      if (!resumed) {
        const root = await client.oapi<{ result?: { name?: string } }>('/topapi/v2/department/get', { dept_id: ROOT_DEPT }, 'department/get', tenantKey);
        yield { items: [{ id: String(ROOT_DEPT), parentId: null, name: root.result?.name ?? String(ROOT_DEPT) }], cursor: JSON.stringify({ queue, seen: [...seen] }) };
      }
      while (queue.length > 0) {
        const head = queue[0]!;
        const rest = queue.slice(1);
        const items: DirectoryDepartment[] = [];
        const subs: RawDept[] = await children(head);
        for (const d of subs) {
          if (typeof d.dept_id !== 'number' || seen.has(d.dept_id)) continue;
          seen.add(d.dept_id);
          rest.push(d.dept_id);
          items.push({ id: String(d.dept_id), parentId: String(d.parent_id ?? head), name: d.name ?? String(d.dept_id) });
        }
        queue = rest;
        yield { items, cursor: rest.length ? JSON.stringify({ queue: rest, seen: [...seen] }) : null };
      }
    },

    async *listUsers(after?: string): AsyncIterable<DirectoryPage<DirectoryPerson>> {
      const depts = await allDeptIds();
      let { i, cursor } = parseCursor<{ i: number; cursor: number }>(after, { i: 0, cursor: 0 });
      while (i < depts.length) {
        const res = await client.oapi<{ result?: { has_more?: boolean; next_cursor?: number; list?: RawUser[] } }>(
          '/topapi/v2/user/list', { dept_id: depts[i], cursor, size: USER_PAGE_SIZE, contain_access_limit: false }, 'user/list', tenantKey);
        const r = res.result ?? {};
        const items = (r.list ?? []).flatMap((u): DirectoryPerson[] => {
          if (!u.unionid || !u.userid || !u.name) return [];
          const email = u.org_email || u.email;
          return [{
            unionId: u.unionid,
            platformUserId: u.userid,
            name: u.name,
            ...(email ? { email } : {}),
            ...(u.mobile ? { mobile: u.mobile } : {}),
            departmentId: u.dept_id_list?.length ? String(u.dept_id_list[0]) : String(depts[i]),
            isLeader: u.leader === true,
            active: u.active !== false,
          }];
        });
        if (r.has_more && typeof r.next_cursor === 'number') cursor = r.next_cursor;
        else {
          i++;
          cursor = 0;
        }
        yield { items, cursor: i < depts.length ? JSON.stringify({ i, cursor }) : null };
      }
    },
  };
}
