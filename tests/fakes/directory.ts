/**
 * An in-memory company directory implementing the directory port (src/bot/directory.ts), standing
 * in for Feishu contact v3 / DingTalk topapi in sync tests: fixed page size, an opaque cursor
 * (the page number), a record of where each listing started, and a page that fails on demand
 * (the "network error halfway through" case).
 */
import type { DirectoryDepartment, DirectoryPage, DirectoryPerson, DirectoryPort } from '../../src/bot/directory.ts';
import type { Platform } from '../../src/bot/events.ts';

export interface FakeFailure {
  listing: 'departments' | 'users';
  /** 1-based page that fails (before it is returned). */
  page: number;
  /** How many times it fails before it works again. */
  times: number;
}

export class FakeDirectory implements DirectoryPort {
  departments: DirectoryDepartment[];
  people: DirectoryPerson[];
  /** `after` cursor of every listing started, e.g. `users:2` (undefined → `users:start`). */
  readonly starts: string[] = [];
  /** Pages actually handed out, e.g. `users:3`. */
  readonly served: string[] = [];
  private readonly failures: FakeFailure[] = [];

  constructor(
    readonly platform: Platform,
    readonly tenantKey: string,
    data: { departments: DirectoryDepartment[]; people: DirectoryPerson[] },
    readonly pageSize = 2,
  ) {
    this.departments = data.departments;
    this.people = data.people;
  }

  failAt(f: FakeFailure): void {
    this.failures.push({ ...f });
  }

  listDepartments(after?: string): AsyncIterable<DirectoryPage<DirectoryDepartment>> {
    return this.pages('departments', () => this.departments, after);
  }

  listUsers(after?: string): AsyncIterable<DirectoryPage<DirectoryPerson>> {
    return this.pages('users', () => this.people, after);
  }

  private async *pages<T>(listing: 'departments' | 'users', items: () => T[], after?: string): AsyncIterable<DirectoryPage<T>> {
    this.starts.push(`${listing}:${after ?? 'start'}`);
    const all = items();
    const total = Math.max(1, Math.ceil(all.length / this.pageSize));
    for (let page = after ? Number(after) + 1 : 1; page <= total; page++) {
      const failure = this.failures.find((f) => f.listing === listing && f.page === page && f.times > 0);
      if (failure) {
        failure.times--;
        throw new Error(`fake directory: ${listing} page ${page} failed`);
      }
      await Promise.resolve();
      this.served.push(`${listing}:${page}`);
      yield { items: all.slice((page - 1) * this.pageSize, page * this.pageSize), cursor: page < total ? String(page) : null };
    }
  }
}

/** A person with defaults, for short test data. */
export function person(p: Partial<DirectoryPerson> & Pick<DirectoryPerson, 'unionId' | 'name'>): DirectoryPerson {
  return { platformUserId: `app-${p.unionId}`, departmentId: null, isLeader: false, active: true, ...p };
}
