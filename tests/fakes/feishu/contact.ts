/**
 * Contact v3 on the fake Feishu, as the directory port reads it: the root department, its
 * descendants (`fetch_child=true`) and the people of one department, paged with `page_token`
 * (here the offset) and `has_more`. Ids are open_department_id / open_id only: the adapter must
 * ask for those id types, or the fake answers 99992402 like a field validation failure.
 * https://open.feishu.cn/document/server-docs/contact-v3/department/children
 */

export interface FakeDepartment {
  open_department_id: string;
  parent_department_id: string;
  name: string;
  leader_user_id?: string;
}

export interface FakeUser {
  union_id: string;
  open_id: string;
  name: string;
  email?: string;
  mobile?: string;
  department_ids: string[];
  status?: { is_resigned?: boolean; is_activated?: boolean };
}

export type ContactAnswer = { data: unknown } | { code: number; status: number; msg: string };

export function contactAnswer(dir: { departments: FakeDepartment[]; users: FakeUser[]; contactPageSize: number }, path: string, url: URL): ContactAnswer {
  const size = Math.min(dir.contactPageSize, Number(url.searchParams.get('page_size') ?? 20) || 20);
  const from = Number(url.searchParams.get('page_token') ?? 0) || 0;
  const page = <T>(all: T[]) => ({ items: all.slice(from, from + size), has_more: from + size < all.length, ...(from + size < all.length ? { page_token: String(from + size) } : {}) });
  const invalid = { code: 99992402, status: 400, msg: 'field validation failed' };
  if (url.searchParams.get('department_id_type') !== 'open_department_id' || url.searchParams.get('user_id_type') !== 'open_id') return invalid;
  if (path === '/open-apis/contact/v3/departments/0') {
    const root = dir.departments.find((d) => d.open_department_id === '0');
    return { data: { department: root ?? { name: '', open_department_id: '0' } } };
  }
  if (path === '/open-apis/contact/v3/departments/0/children') {
    if (url.searchParams.get('fetch_child') !== 'true') return invalid;
    return { data: page(dir.departments.filter((d) => d.open_department_id !== '0')) };
  }
  if (path === '/open-apis/contact/v3/users/find_by_department') {
    const dept = url.searchParams.get('department_id') ?? '';
    return { data: page(dir.users.filter((u) => u.department_ids.includes(dept))) };
  }
  return { code: 404, status: 404, msg: 'not found' };
}
