/**
 * The directory port: a platform's company directory (departments and people), read page by page
 * so a sync can stop after any page and resume from its cursor. Implemented by the Feishu adapter
 * (contact v3: `GET /open-apis/contact/v3/departments/:id/children?fetch_child=true` and
 * `GET /open-apis/contact/v3/users/find_by_department`, `page_token`/`has_more`) and the DingTalk
 * adapter (`topapi/v2/department/listsub` per department, `topapi/v2/user/list` with `cursor`);
 * an adapter that can list its directory implements `DirectorySource` beside `ChatAdapter`.
 *
 * People are identified by the platform's cross-app id (Feishu `union_id`, DingTalk `unionid`),
 * which stays the same across apps of one tenant; the app-scoped id (Feishu `open_id`, DingTalk
 * `userid`) only links the chat identity. Platform payload types stay in the adapters.
 */
import type { Platform } from './events.ts';
import type { ChatAdapter } from './ports.ts';

export interface DirectoryDepartment {
  /** Platform department id (Feishu open_department_id, DingTalk dept_id as text). */
  id: string;
  /** Null at the top of the tree (Feishu "0", DingTalk 1 are reported as their own root). */
  parentId: string | null;
  name: string;
}

export interface DirectoryPerson {
  /** Cross-app id: Feishu union_id, DingTalk unionid. The key of the sync. */
  unionId: string;
  /** App-scoped id chat events carry: Feishu open_id, DingTalk userid. */
  platformUserId: string;
  name: string;
  email?: string;
  mobile?: string;
  /** Main department (Feishu department_ids[0], DingTalk dept_id_list[0]); null when none. */
  departmentId: string | null;
  /** Leader (负责人 / 主管) of that department. */
  isLeader: boolean;
  /** False for people listed but resigned or disabled (Feishu status.is_resigned, DingTalk active=false). */
  active: boolean;
}

/**
 * One page. `cursor` resumes the listing right after this page (opaque to the sync; the adapter
 * encodes e.g. "department index + page_token"); null on the last page.
 */
export interface DirectoryPage<T> {
  items: T[];
  cursor: string | null;
}

export interface DirectoryPort {
  readonly platform: Platform;
  /** Feishu tenant key, DingTalk corp id: the tenant this directory belongs to. */
  readonly tenantKey: string;
  /** Every department; `after` is the cursor of the last page already stored. */
  listDepartments(after?: string): AsyncIterable<DirectoryPage<DirectoryDepartment>>;
  /** Every person of every department, each at least once (duplicates across pages are fine). */
  listUsers(after?: string): AsyncIterable<DirectoryPage<DirectoryPerson>>;
}

/** Implemented by adapters whose platform has a directory API. */
export interface DirectorySource {
  directoryFor(tenantKey: string): DirectoryPort | undefined;
}

/** The adapter's directory, when it has one (console and Slack have none). */
export function directoryOf(adapter: ChatAdapter | undefined, tenantKey: string): DirectoryPort | undefined {
  const source = adapter as (ChatAdapter & Partial<DirectorySource>) | undefined;
  return typeof source?.directoryFor === 'function' ? source.directoryFor(tenantKey) : undefined;
}
