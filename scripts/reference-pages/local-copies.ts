/**
 * Which stored copy of a reference page belongs to which page, for folders whose files are not named after the
 * page. A page is named by the last segment of the operation's `externalDocs.url`
 * (`https://developer.hostup.se/endpoints/vps-services/get-vm-vmid-backup-schedules` is
 * `get-vm-vmid-backup-schedules`); a folder that holds `<page>.md` or `<page>.txt` (as docs:check's own cache
 * does) needs no entry here.
 *
 * These are the copies in the project's shared api-docs folder (see its README). Its `lifecycle/` files are
 * excerpts of pages: each starts with a `SOURCE:` line saying how complete it is (see `readExcerpt` in
 * parse.ts). docs:check reads each rendering an excerpt holds up to its `[...CUT]`, holds a cut excerpt only
 * to what it shows, and reports an excerpt in no rendering the parser reads (a reader's flattened or
 * summarised copy) as not compared.
 * `more-endpoints.md` is notes about several pages in one file, not a page: it is not listed.
 *
 * Two lifecycle operations have no page at all (`post-v2-vps-id-backups-backupid-actions-restore`,
 * `delete-v2-vps-id-snapshots-snapshotid`: other pages name them only under "Related Endpoints"); they are not
 * listed either, so a folder run reports "no copy" for them, and a run against the site fetches the address
 * their `externalDocs.url` gives.
 */
export const localCopies: Readonly<Record<string, string>> = {
  "get-vm-vmid-backup-schedules": "v1-get-backup-schedules.txt",
  "post-vm-vmid-backup-schedules": "v1-post-backup-schedules.txt",
  "post-v2-vps-id-backup-schedules": "v2-post-backup-schedules.md",
  "patch-v2-vps-id-backup-schedules": "v2-patch-backup-schedules.txt",
  "post-v2-vps-id-snapshot-schedules": "v2-post-snapshot-schedules.txt",
  // The backup and snapshot lifecycle: excerpts.
  "get-jobs-jobid": "lifecycle/v1-get-job.txt",
  "get-vm-vmid-backups": "lifecycle/v1-get-backups.txt",
  "delete-vm-vmid-backups-volid": "lifecycle/v1-delete-backup-volid.txt",
  "get-vm-vmid-snapshots": "lifecycle/v1-get-snapshots.txt",
  "delete-vm-vmid-snapshots": "lifecycle/v1-delete-snapshots.txt",
  "get-v2-vps-id-backups": "lifecycle/v2-get-backups.txt",
  "post-v2-vps-id-backups": "lifecycle/v2-post-backups.txt",
  "delete-v2-vps-id-backups-backupid": "lifecycle/v2-delete-backup.txt",
  "post-v2-vps-id-backups-backupid-actions-restore-to-payg": "lifecycle/v2-post-backup-restore-to-payg.txt",
  "get-v2-vps-id-backups-restore-sources": "lifecycle/v2-get-backups-restore-sources.txt",
  "post-v2-vps-id-backups-actions-restore-from-vps": "lifecycle/v2-post-backups-restore-from-vps.txt",
  "get-v2-vps-id-snapshots": "lifecycle/v2-get-snapshots.txt",
  "post-v2-vps-id-snapshots": "lifecycle/v2-post-snapshots.txt",
  "post-v2-vps-id-snapshots-snapshotid-actions-restore": "lifecycle/v2-post-snapshot-restore.txt",
};

/** The page name of a reference page's address: its last path segment, without a `.md`. */
export function pageName(url: string): string {
  const last = new URL(url).pathname.replace(/\/+$/, "").split("/").pop() ?? "";
  return last.replace(/\.md$/, "");
}
