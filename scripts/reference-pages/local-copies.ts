/**
 * Which stored copy of a reference page belongs to which page, for folders whose files are not named after the
 * page. A page is named by the last segment of the operation's `externalDocs.url`
 * (`https://developer.hostup.se/endpoints/vps-services/get-vm-vmid-backup-schedules` is
 * `get-vm-vmid-backup-schedules`); a folder that holds `<page>.md` or `<page>.txt` (as docs:check's own cache
 * does) needs no entry here.
 *
 * These are the copies in the project's shared api-docs folder (see its README). Its `lifecycle/` excerpts and
 * `more-endpoints.md` are notes about pages (cut short, several renderings in one file), not pages: they are
 * not listed, so docs:check reports those operations as not checked rather than as differing.
 */
export const localCopies: Readonly<Record<string, string>> = {
  "get-vm-vmid-backup-schedules": "v1-get-backup-schedules.txt",
  "post-vm-vmid-backup-schedules": "v1-post-backup-schedules.txt",
  "post-v2-vps-id-backup-schedules": "v2-post-backup-schedules.md",
  "patch-v2-vps-id-backup-schedules": "v2-patch-backup-schedules.txt",
  "post-v2-vps-id-snapshot-schedules": "v2-post-snapshot-schedules.txt",
};

/** The page name of a reference page's address: its last path segment, without a `.md`. */
export function pageName(url: string): string {
  const last = new URL(url).pathname.replace(/\/+$/, "").split("/").pop() ?? "";
  return last.replace(/\.md$/, "");
}
