/**
 * The directory port on contact v3 (src/bot/directory.ts): departments from
 * `GET /open-apis/contact/v3/departments/0/children?fetch_child=true`, people per department from
 * `GET /open-apis/contact/v3/users/find_by_department`, both paged with `page_token`/`has_more`
 * (page_size ≤ 50). Ids: open_department_id and open_id (user_id_type=open_id), union_id as the
 * cross-app key. The root department "0" is reported as its own root. Needs the contact scopes
 * `contact:department.base:readonly`, `contact:user.base:readonly` and `contact:user.department:readonly`
 * (+ email / phone to read those).
 * https://open.feishu.cn/document/server-docs/contact-v3/department/children
 * https://open.feishu.cn/document/server-docs/contact-v3/user/find_by_department
 */
import type { DirectoryDepartment, DirectoryPage, DirectoryPerson, DirectoryPort } from '../../bot/directory.ts';
import type { FeishuClient } from './client.ts';

export const PAGE_SIZE = 50;
const ROOT = '0';
const IDS = { department_id_type: 'open_department_id', user_id_type: 'open_id' } as const;

interface RawDepartment {
  name?: string;
  open_department_id?: string;
  department_id?: string;
  parent_department_id?: string;
  leader_user_id?: string;
}

interface RawUser {
  union_id?: string;
  open_id?: string;
  name?: string;
  en_name?: string;
  email?: string;
  enterprise_email?: string;
  mobile?: string;
  department_ids?: string[];
  status?: { is_resigned?: boolean; is_activated?: boolean; is_frozen?: boolean; is_exited?: boolean };
}

interface Listing<T> {
  items?: T[];
  page_token?: string;
  has_more?: boolean;
}

function department(d: RawDepartment): DirectoryDepartment | null {
  const id = d.open_department_id ?? d.department_id;
  if (!id || !d.name) return null;
  return { id, parentId: d.parent_department_id && d.parent_department_id !== id ? d.parent_department_id : ROOT, name: d.name };
}

export function createFeishuDirectory(client: FeishuClient, tenantKey: string): DirectoryPort {
  async function root(): Promise<RawDepartment> {
    try {
      const d = await client.get<{ department?: RawDepartment }>('contact.department.get', `/open-apis/contact/v3/departments/${ROOT}`, IDS);
      return { ...d.department, open_department_id: ROOT };
    } catch {
      // Some tenants do not expose the root's own record; the tree still needs a top.
      return { name: 'Company', open_department_id: ROOT };
    }
  }

  function children(pageToken?: string): Promise<Listing<RawDepartment>> {
    return client.get('contact.department.children', `/open-apis/contact/v3/departments/${ROOT}/children`, {
      ...IDS,
      fetch_child: 'true',
      page_size: String(PAGE_SIZE),
      ...(pageToken ? { page_token: pageToken } : {}),
    });
  }

  /** Every department (root first) and its leader, for the people listing. */
  async function allDepartments(): Promise<RawDepartment[]> {
    const out = [await root()];
    let token: string | undefined;
    do {
      const page = await children(token);
      out.push(...(page.items ?? []));
      token = page.has_more && page.page_token ? page.page_token : undefined;
    } while (token);
    return out;
  }

  return {
    platform: 'feishu',
    tenantKey,

    async *listDepartments(after?: string): AsyncIterable<DirectoryPage<DirectoryDepartment>> {
      let token = after;
      const first: DirectoryDepartment[] = [];
      if (!after) {
        const r = await root();
        first.push({ id: ROOT, parentId: null, name: r.name || 'Company' });
      }
      for (;;) {
        const page = await children(token);
        const items = [...first.splice(0), ...(page.items ?? []).flatMap((d) => department(d) ?? [])];
        token = page.has_more && page.page_token ? page.page_token : undefined;
        yield { items, cursor: token ?? null };
        if (!token) return;
      }
    },

    async *listUsers(after?: string): AsyncIterable<DirectoryPage<DirectoryPerson>> {
      const departments = await allDepartments();
      // Cursor: "<department index>:<page token>" — the department list is stable between pages.
      const [startIndex, startToken] = after ? [Number(after.split(':')[0]), after.slice(after.indexOf(':') + 1) || undefined] : [0, undefined];
      for (let i = Number.isInteger(startIndex) ? startIndex : 0; i < departments.length; i++) {
        const dept = departments[i]!;
        const deptId = dept.open_department_id ?? ROOT;
        let token = i === startIndex ? startToken : undefined;
        do {
          const page = await client.get<Listing<RawUser>>('contact.user.find_by_department', '/open-apis/contact/v3/users/find_by_department', {
            ...IDS,
            department_id: deptId,
            page_size: String(PAGE_SIZE),
            ...(token ? { page_token: token } : {}),
          });
          token = page.has_more && page.page_token ? page.page_token : undefined;
          const items = (page.items ?? []).flatMap((u): DirectoryPerson[] => {
            if (!u.union_id || !u.open_id || !u.name) return [];
            const main = u.department_ids?.[0] ?? null;
            const leaderOf = departments.find((d) => (d.open_department_id ?? ROOT) === main)?.leader_user_id;
            const s = u.status ?? {};
            const email = u.enterprise_email || u.email;
            return [
              {
                unionId: u.union_id,
                platformUserId: u.open_id,
                name: u.name,
                ...(email ? { email } : {}),
                ...(u.mobile ? { mobile: u.mobile } : {}),
                departmentId: main,
                isLeader: leaderOf !== undefined && leaderOf === u.open_id,
                active: !s.is_resigned && !s.is_exited && !s.is_frozen && s.is_activated !== false,
              },
            ];
          });
          const last = !token && i === departments.length - 1;
          yield { items, cursor: last ? null : token ? `${i}:${token}` : `${i + 1}:` };
        } while (token);
      }
    },
  };
}
