import type { MockCredential, MockSeed } from "./types.js";

/** Obviously fake sample credentials. Never real keys. */
export const SAMPLE_V1_KEY = "mock-v1-key";
export const SAMPLE_V2_TOKEN = "mock-v2-token";
export const SAMPLE_V2_READONLY_TOKEN = "mock-v2-readonly";
export const SAMPLE_V1_READONLY_KEY = "mock-v1-readonly";
/** Without `backup:vm`: backup and snapshot writes (and restore-sources) answer 403. */
export const SAMPLE_V1_NO_BACKUP_KEY = "mock-v1-nobackup";
export const SAMPLE_V2_NO_BACKUP_TOKEN = "mock-v2-nobackup";
/** `backup:vm` without `write:billing`: restore-to-payg answers 403, every other operation works. */
export const SAMPLE_V2_NO_BILLING_TOKEN = "mock-v2-nobilling";

export const DEFAULT_CLIENT_ID = "30000";

/** Every scope the documented operations ask for. */
const ALL_SCOPES = ["read:vm", "write:vm", "backup:vm", "write:billing"] as const;

export const defaultCredentials: readonly MockCredential[] = [
  { value: SAMPLE_V1_KEY, clientId: DEFAULT_CLIENT_ID, scopes: [...ALL_SCOPES] },
  { value: SAMPLE_V1_READONLY_KEY, clientId: DEFAULT_CLIENT_ID, scopes: ["read:vm"] },
  { value: SAMPLE_V1_NO_BACKUP_KEY, clientId: DEFAULT_CLIENT_ID, scopes: ["read:vm", "write:vm"] },
  { value: SAMPLE_V2_TOKEN, clientId: DEFAULT_CLIENT_ID, scopes: [...ALL_SCOPES] },
  { value: SAMPLE_V2_READONLY_TOKEN, clientId: DEFAULT_CLIENT_ID, scopes: ["read:vm"] },
  { value: SAMPLE_V2_NO_BACKUP_TOKEN, clientId: DEFAULT_CLIENT_ID, scopes: ["read:vm", "write:vm"] },
  {
    value: SAMPLE_V2_NO_BILLING_TOKEN,
    clientId: DEFAULT_CLIENT_ID,
    scopes: ["read:vm", "write:vm", "backup:vm"],
  },
];

/** The ids of the default seed, for tests and examples. */
export const DEFAULT_VMS = {
  /**
   * web-1: weekly backup schedule (Fridays 05:23 UTC, keep 7), 3 backups (2 scheduled, 1 manual) of 7 slots, a
   * 12-hourly snapshot schedule, and the snapshot `before-upgrade` (1 of 3 slots), taken when the seed is loaded
   * (so it expires 24 hours later on the mock's clock).
   */
  web: { vmid: 10000, vpsId: "vps_01hxa3b4c5d6e7f8g9h0j1k2m3" },
  /**
   * db-1: no backup schedule, 1 manual backup of 5 slots (a restore source for web-1), auto-delete off, and no
   * snapshot capacity (`canEnable` and `canCreate` blocked).
   */
  db: { vmid: 10001, vpsId: "vps_01hxa3b4c5d6e7f8g9h0j1k2m4" },
} as const;

/**
 * The documented default state. Pass `seed` to `startMockServer` to replace it, or build on it:
 * `{ ...defaultSeed(), vms: [...defaultSeed().vms, myVm] }`.
 */
export function defaultSeed(): MockSeed {
  return {
    credentials: defaultCredentials.map((c) => ({ ...c, scopes: [...c.scopes] })),
    vms: [
      {
        ...DEFAULT_VMS.web,
        name: "web-1",
        clientId: DEFAULT_CLIENT_ID,
        accountId: "20000",
        primaryIp: "203.0.113.10",
        isPayg: false,
        backupCapacity: 7,
        autoDeleteOldest: true,
        backupSchedule: {
          id: 2464,
          schedule_type: "weekly",
          hour: 5,
          minute: 23,
          day_of_week: 5,
          retention_count: 7,
          enabled: true,
          notes: "Weekly backup",
          last_run: "2026-01-02T05:23:00.000Z",
        },
        history: [
          { backup_type: "scheduled", created_at: "2026-01-02T05:23:00.000Z", size: "214748366059" },
          {
            backup_type: "manual",
            created_at: "2025-12-28T10:00:00.000Z",
            size: "214748366060",
            notes: "Before upgrade",
          },
          { backup_type: "scheduled", created_at: "2025-12-26T05:23:00.000Z", size: "214748366061" },
          { backup_type: "scheduled", created_at: "2025-12-19T05:23:00.000Z", status: "deleted" },
        ],
        snapshotCapacity: 3,
        snapshotSchedule: { enabled: true, interval_hours: 12, last_run: "2026-01-04T12:00:00.000Z" },
        snapshots: [{ name: "before-upgrade", description: "Before package upgrade" }],
      },
      {
        ...DEFAULT_VMS.db,
        name: "db-1",
        clientId: DEFAULT_CLIENT_ID,
        accountId: "20001",
        primaryIp: "203.0.113.11",
        isPayg: true,
        backupCapacity: 5,
        autoDeleteOldest: false,
        backupSchedule: null,
        history: [
          {
            backup_type: "manual",
            created_at: "2026-01-03T09:00:00.000Z",
            size: "53687091831",
            notes: "Before migration",
          },
        ],
        snapshotCapacity: 0,
        snapshotSchedule: null,
      },
    ],
  };
}
