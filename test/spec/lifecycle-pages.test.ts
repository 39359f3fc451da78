/**
 * Every field that HostUp's lifecycle reference pages (backups, snapshots, restores: ../shared/api-docs/lifecycle/)
 * name is in the spec, with the documented type, nullability, `required`, enum and bounds; so are every parameter,
 * every status and the scopes the pages name, and the pages' own complete JSON examples validate strictly against
 * the spec. Where the spec departs from a page on purpose, the departure is listed below with its reason.
 *
 * The pages are read from $HOSTUP_API_DOCS, or else from ../shared/api-docs beside the clone; where
 * HOSTUP_API_DOCS is set the pages must be there, and a clone with neither skips this file.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSpec } from "../../src/contract/spec.js";
import { validateExchange } from "../../src/contract/validate.js";
import { validateCreateSnapshotBody, validateParamSnapshotId } from "../../src/generated/validators-v2.js";
import {
  fieldProblems,
  jsonAfter,
  type PageField,
  type PageLocation,
  pageScopes,
  parseFieldTokens,
  parseMarkdownFields,
  type Spec,
} from "./lifecycle-pages.js";

const root = join(import.meta.dirname, "..", "..");
const docsDir = join(
  resolve(process.env.HOSTUP_API_DOCS ?? join(root, "..", "shared", "api-docs")),
  "lifecycle",
);
const haveDocs = existsSync(join(docsDir, "v2-get-backups.txt"));
if (!haveDocs && process.env.HOSTUP_API_DOCS) {
  throw new Error(
    `HOSTUP_API_DOCS holds no lifecycle pages (${docsDir}): the spec cannot be checked against them`,
  );
}

/** A part of a page in one rendering: `from` markers found in turn, up to `to` (or the end). */
interface Slice {
  from?: string[];
  to?: string;
  render: "tokens" | "markdown";
  /** For tokens: where the fields live. For markdown: the status of `### Response Schema`. */
  location: PageLocation;
  /** The rendering says nothing about `required` (the older page layout). */
  requiredUnknown?: boolean;
}

/** A field the page names in its prose or in a line cut too short to parse. */
type Named = Omit<PageField, "page" | "nullable"> & { nullable?: boolean; why: string };

interface Page {
  file: string;
  version: "v1" | "v2";
  method: "get" | "post" | "delete";
  path: string;
  slices: Slice[];
  named?: Named[];
  /** Statuses the page documents that no parsed field shows (headings without a body, a 204). */
  statuses?: string[];
  /** The spec's x-hostup-scope. A page that names scopes ("Required API scope") must name these. */
  scopes: string[];
  /** The page's complete JSON examples: the answer of `status` after the `markers` (in turn), sent for `url`. */
  examples?: { markers: string[]; status: number; url: string; contentType: string }[];
  /** A floor on the parsed fields, so a parser that silently finds nothing fails. */
  atLeast: number;
}

const V2_VPS = "/api/v2/vps/{id}";
const status = (code: string): PageLocation => ({ status: code });

const pages: Page[] = [
  {
    file: "v2-get-backups.txt",
    version: "v2",
    method: "get",
    path: `${V2_VPS}/backups`,
    slices: [
      { from: ["Path Parameters"], to: "Headers", render: "tokens", location: "param" },
      {
        from: ["200 VPS backups with quota and action gates."],
        to: "---- variant B",
        render: "tokens",
        location: status("200"),
      },
      { from: ["---- variant B"], render: "tokens", location: status("200") },
    ],
    scopes: ["read:vm"],
    atLeast: 20,
  },
  {
    file: "v2-post-backups.txt",
    version: "v2",
    method: "post",
    path: `${V2_VPS}/backups`,
    slices: [
      { from: ["Path Parameters"], to: "Headers", render: "tokens", location: "param" },
      { from: ["\nBody\n"], to: "\nResponses\n", render: "tokens", location: "request" },
      {
        from: ["202 Backup operation queued."],
        to: "400 Invalid request.",
        render: "tokens",
        location: status("202"),
      },
      { from: ["400 Invalid request."], to: "---- .md variant", render: "tokens", location: status("400") },
      { from: ["---- .md variant"], render: "markdown", location: status("202") },
    ],
    scopes: ["backup:vm"],
    atLeast: 18,
  },
  {
    file: "v2-delete-backup.txt",
    version: "v2",
    method: "delete",
    path: `${V2_VPS}/backups/{backupId}`,
    slices: [{ render: "markdown", location: status("204") }],
    statuses: ["204", "400", "401"],
    scopes: ["backup:vm"],
    examples: [
      {
        markers: ["#### 400 - Invalid request."],
        status: 400,
        url: "https://cloud.hostup.se/api/v2/vps/vps_01hxa3b4c5d6e7f8g9h0j1k2m3/backups/bkp_01hxa3b4c5d6e7f8g9h0j1k2m3",
        contentType: "application/problem+json",
      },
    ],
    atLeast: 2,
  },
  {
    file: "v2-post-backup-restore-to-payg.txt",
    version: "v2",
    method: "post",
    path: `${V2_VPS}/backups/{backupId}/actions/restore-to-payg`,
    slices: [
      { to: "---- flattened variant", render: "markdown", location: status("202") },
      { from: ["---- flattened variant"], render: "tokens", location: "request" },
    ],
    scopes: ["backup:vm", "write:billing"],
    atLeast: 7,
  },
  {
    file: "v2-get-backups-restore-sources.txt",
    version: "v2",
    method: "get",
    path: `${V2_VPS}/backups/restore-sources`,
    slices: [{ render: "markdown", location: status("200") }],
    named: [
      {
        location: status("200"),
        path: "sources[].backups[].sizeGb",
        type: "integer",
        why: "cut inside its type: `sizeGb` (intege[...CUT]",
      },
    ],
    scopes: ["backup:vm"],
    atLeast: 12,
  },
  {
    file: "v2-post-backups-restore-from-vps.txt",
    version: "v2",
    method: "post",
    path: `${V2_VPS}/backups/actions/restore-from-vps`,
    slices: [
      { to: "---- HTML variant", render: "markdown", location: status("202") },
      {
        from: ["202 Cross-VPS restore operation queued."],
        to: "---- flattened variant",
        render: "tokens",
        location: status("202"),
      },
      { from: ["---- flattened variant"], to: "\ntype string", render: "tokens", location: status("202") },
      {
        from: ["---- flattened variant", "operation.result objectnull · Example: null"],
        render: "tokens",
        location: status("400"),
      },
    ],
    named: [
      {
        location: status("202"),
        path: "operation.pollUrl",
        type: "string",
        required: true,
        why: "cut in the HTML variant (`str[...]`), whole in the flattened one",
      },
    ],
    scopes: ["backup:vm"],
    atLeast: 12,
  },
  {
    file: "v2-get-snapshots.txt",
    version: "v2",
    method: "get",
    path: `${V2_VPS}/snapshots`,
    slices: [
      { to: "---- HTML variant", render: "markdown", location: status("200") },
      { from: ["---- flattened variant"], render: "tokens", location: status("200") },
    ],
    named: [
      {
        location: status("200"),
        path: "available",
        type: "boolean",
        why: 'named by the description: "If `available` is false ..."',
      },
      {
        location: status("200"),
        path: "limits.totalSnapshots",
        type: "integer",
        why: 'named by the description: "... or `limits.totalSnapshots` is 0"',
      },
      {
        location: status("200"),
        path: "actions.canCreate",
        type: "object",
        why: "named by the create page: check `actions.canCreate` before calling",
      },
      {
        location: status("200"),
        path: "actions.canRestore",
        type: "object",
        why: "named by the restore page: check `actions.canRestore` before calling",
      },
    ],
    scopes: ["read:vm"],
    atLeast: 12,
  },
  {
    file: "v2-post-snapshots.txt",
    version: "v2",
    method: "post",
    path: `${V2_VPS}/snapshots`,
    slices: [
      { from: ["Path Parameters"], to: "\nBody\n", render: "tokens", location: "param" },
      { from: ["\nBody\n"], to: "\nResponses\n", render: "tokens", location: "request" },
      {
        from: ["202 Snapshot create operation queued."],
        to: "[400 problem",
        render: "tokens",
        location: status("202"),
      },
    ],
    statuses: ["400"],
    scopes: ["backup:vm"],
    atLeast: 8,
  },
  {
    file: "v2-post-snapshot-restore.txt",
    version: "v2",
    method: "post",
    path: `${V2_VPS}/snapshots/{snapshotId}/actions/restore`,
    slices: [
      { from: ["backup:vm\n"], to: "Accept Example", render: "tokens", location: "param" },
      // the page shows no status labels: 202 is inferred (see the operation's description)
      { from: ["Content-Type Example"], to: "\ntype string", render: "tokens", location: status("202") },
      { from: ["operation.result objectnull · Example: null"], render: "tokens", location: status("400") },
    ],
    // the page names its scope on a line of its own, without "Required API scope"
    scopes: ["backup:vm"],
    atLeast: 15,
  },
  {
    file: "v2-get-snapshot-schedules.txt",
    version: "v2",
    method: "get",
    path: `${V2_VPS}/snapshot-schedules`,
    slices: [
      { to: "---- HTML variant", render: "markdown", location: status("200") },
      {
        from: ["200 VPS snapshot schedule state."],
        to: "---- flattened",
        render: "tokens",
        location: status("200"),
      },
      { from: ["---- flattened variant"], render: "tokens", location: status("200") },
    ],
    scopes: ["read:vm"],
    atLeast: 8,
  },
  {
    file: "v1-get-backups.txt",
    version: "v1",
    method: "get",
    path: "/api/vm/{vmid}/backups",
    slices: [
      { from: ["Path Parameters"], to: "Responses", render: "tokens", location: "param" },
      { from: ["Responses\n200"], to: "https://cloud.hostup.se", render: "tokens", location: status("200") },
    ],
    scopes: ["read:vm"],
    atLeast: 20,
  },
  {
    file: "v1-delete-backup-volid.txt",
    version: "v1",
    method: "delete",
    path: "/api/vm/{vmid}/backups/{volid}",
    slices: [{ from: ["Path Parameters"], to: "Responses", render: "tokens", location: "param" }],
    named: [
      ...(["data", "requestId", "success", "timestamp"] as const).map((path) => ({
        location: status("200"),
        path,
        required: true,
        why: "the 200 line lists it (required)",
      })),
      { location: status("200"), path: "data.message", type: "string", required: true, why: "the 200 line" },
      { location: status("200"), path: "data.success", type: "boolean", required: true, why: "the 200 line" },
      ...(["code", "error", "message", "requestId", "timestamp"] as const).map((path) => ({
        location: status("500"),
        path,
        type: "string" as const,
        required: true,
        why: "the 500 line lists it (all required)",
      })),
    ],
    scopes: ["backup:vm"],
    atLeast: 2,
  },
  {
    file: "v1-get-snapshots.txt",
    version: "v1",
    method: "get",
    path: "/api/vm/{vmid}/snapshots",
    slices: [
      // the older layout states no `required` at all
      {
        from: ["Responses\n200"],
        to: "GET https://cloud.hostup.se",
        render: "tokens",
        location: status("200"),
        requiredUnknown: true,
      },
      {
        from: ["---- NEWER LAYOUT", "Path Parameters"],
        to: "Responses",
        render: "tokens",
        location: "param",
      },
      {
        from: ["---- NEWER LAYOUT", "Responses\n200"],
        to: "GET https://cloud.hostup.se",
        render: "tokens",
        location: status("200"),
      },
    ],
    scopes: ["read:vm"],
    examples: [
      {
        markers: ["---- NEWER LAYOUT", "\nResponse\n"],
        status: 200,
        url: "https://cloud.hostup.se/api/vm/10000/snapshots",
        contentType: "application/json",
      },
    ],
    atLeast: 15,
  },
  {
    file: "v1-delete-snapshots.txt",
    version: "v1",
    method: "delete",
    path: "/api/vm/{vmid}/snapshots",
    slices: [
      { from: ["path.vmid"], to: "Accept Example", render: "tokens", location: "param" },
      // the copy shows no status label: 200 is inferred like the other v1 pages
      {
        from: ["Content-Type Example"],
        to: "https://cloud.hostup.se",
        render: "tokens",
        location: status("200"),
      },
    ],
    scopes: ["backup:vm"],
    examples: [
      {
        markers: ["https://cloud.hostup.se/api/vm/{vmid}/snapshots"],
        status: 200,
        url: "https://cloud.hostup.se/api/vm/10000/snapshots?action=rollback&snapname=full-prox-konfig",
        contentType: "application/json",
      },
    ],
    atLeast: 10,
  },
];

/**
 * Where the spec departs from a page on purpose, by `page: location path`, with the reason (the spec's own
 * description says the same). A departure the spec no longer makes fails too, so this list stays true.
 */
const departures: Record<string, string> = {
  ...Object.fromEntries(
    ["v2-post-backups.txt", "v2-post-backups-restore-from-vps.txt", "v2-post-snapshots.txt"].flatMap(
      (file) => [
        [
          `${file}: 202 answer operation: documented optional, spec requires it`,
          "OperationAccepted requires `operation`: a 202 without it gives nothing to poll (see its description)",
        ],
      ],
    ),
  ),
  "v2-post-snapshot-restore.txt: 202 answer operation: documented optional, spec requires it":
    "as for the other operation envelopes",
  "v1-get-snapshots.txt: 200 answer data[].parent: documented enum [Before-Greg, First_Snapshot, Proxmox-OPNsense, Proxmox-Opnsense, before-update, before_update, full-prox-konfig], spec has []":
    "a generator artefact: the page lists sampled snapshot names as the enum of `parent` (see Snapshot.parent)",
};

function pageText(file: string): string {
  // SOURCE: and NOTE: lines are a reader's, not the page's
  return readFileSync(join(docsDir, file), "utf8")
    .split("\n")
    .filter((line) => !/^(SOURCE|NOTE):/.test(line))
    .join("\n");
}

function sliceOf(text: string, slice: Slice): string {
  let at = 0;
  for (const marker of slice.from ?? []) {
    const found = text.indexOf(marker, at);
    if (found < 0) throw new Error(`marker ${JSON.stringify(marker)} not found`);
    at = found + marker.length;
  }
  const end = slice.to === undefined ? text.length : text.indexOf(slice.to, at);
  if (end < 0) throw new Error(`marker ${JSON.stringify(slice.to)} not found`);
  return text.slice(at, end);
}

function fieldsOf(page: Page): PageField[] {
  const text = pageText(page.file);
  const parsed = page.slices.flatMap((slice) => {
    const part = sliceOf(text, slice);
    if (slice.render === "markdown") {
      const success = typeof slice.location === "object" ? slice.location.status : "200";
      return parseMarkdownFields(page.file, part, success);
    }
    return parseFieldTokens(page.file, part, slice.location, { requiredUnknown: slice.requiredUnknown });
  });
  const named = (page.named ?? []).map(({ why: _why, ...field }) => ({
    page: page.file,
    nullable: false,
    ...field,
  }));
  return [...parsed, ...named];
}

const specs = { v1: loadSpec("v1"), v2: loadSpec("v2") };
const docOf = (version: "v1" | "v2") => specs[version].doc as unknown as Spec;

function problemsOfPage(page: Page, spec: Spec): string[] {
  return fieldsOf(page).flatMap((field) => fieldProblems(spec, page.path, page.method, field));
}

describe.skipIf(!haveDocs)("the spec holds every field of the lifecycle pages", () => {
  it.each(pages)("$file", (page) => {
    const fields = fieldsOf(page);
    expect(fields.length).toBeGreaterThanOrEqual(page.atLeast);
    const problems = problemsOfPage(page, docOf(page.version));
    expect(problems.filter((p) => !(p in departures))).toEqual([]);
  });

  it("every listed departure is still one (the list is not stale)", () => {
    const all = new Set(pages.flatMap((page) => problemsOfPage(page, docOf(page.version))));
    expect(Object.keys(departures).filter((d) => !all.has(d))).toEqual([]);
  });

  it.each(pages)("$file: its statuses and scopes", (page) => {
    const operation = docOf(page.version).paths[page.path]?.[page.method] as Record<string, unknown>;
    const documented = new Set([
      ...(page.statuses ?? []),
      ...fieldsOf(page).flatMap((f) => (typeof f.location === "object" ? [f.location.status] : [])),
    ]);
    const declared = Object.keys(operation.responses as object);
    expect([...documented].filter((s) => !declared.includes(s))).toEqual([]);
    expect([operation["x-hostup-scope"]].flat()).toEqual(page.scopes);
    const named = pageScopes(pageText(page.file));
    if (named) expect(named).toEqual(page.scopes);
  });

  it.each(pages.filter((page) => page.examples))(
    "$file: the page's own JSON examples validate strictly",
    (page) => {
      const text = pageText(page.file);
      for (const example of page.examples ?? []) {
        const responseBody = jsonAfter(text, example.markers);
        const findings = validateExchange(specs[page.version], {
          method: page.method.toUpperCase(),
          url: example.url,
          status: example.status,
          contentType: example.contentType,
          responseBody,
        });
        expect(findings).toEqual([]);
      }
    },
  );

  it("the snapshot naming rule of the create page: letters, digits, _ and -, at most 40 characters", () => {
    const rule = /may contain letters, numbers, _, and - up to 40 characters/;
    expect(pageText("v2-post-snapshots.txt")).toMatch(rule);
    const ok = ["before-upgrade", "a", "A_b-9", "x".repeat(40)];
    const refused = ["", "x".repeat(41), "before upgrade", "a/b", "a.b", "../x", "snap?", "ä"];
    for (const name of ok) {
      expect(validateCreateSnapshotBody({ name }), name).toBe(true);
      expect(validateParamSnapshotId(name), name).toBe(true);
    }
    for (const name of refused) {
      expect(validateCreateSnapshotBody({ name }), name).toBe(false);
      expect(validateParamSnapshotId(name), name).toBe(false);
    }
  });

  it("catches a field removed, retyped, made non-nullable or optional, an enum or a bound changed (planted)", () => {
    const v2 = structuredClone(docOf("v2"));
    const v1 = structuredClone(docOf("v1"));
    type Props = Record<string, Record<string, unknown>>;
    const schema = (doc: Spec, name: string) =>
      (doc.components as { schemas: Record<string, { properties: Props; required: string[] }> }).schemas[
        name
      ] as { properties: Props; required: string[] };
    delete schema(v2, "Backup").properties.note;
    schema(v2, "BackupQuota").properties.used = { type: "string" };
    schema(v2, "Backup").properties.createdAt = { type: "string", format: "date-time" };
    (schema(v2, "Operation").properties.status as { enum: string[] }).enum.pop();
    (schema(v2, "RestoreBackupToPaygRequest").properties.cpuCores as { maximum: number }).maximum = 64;
    schema(v2, "RestoreSource").properties.sourceType = { type: "string" };
    schema(v2, "CreateBackupRequest").required = ["note"];
    schema(v1, "Backup").required = schema(v1, "Backup").required.filter((name) => name !== "scheduleId");
    const found = pages
      .flatMap((page) => problemsOfPage(page, page.version === "v1" ? v1 : v2))
      .filter((p) => !(p in departures))
      .join("\n");
    expect(found).toMatch(/v2-get-backups.txt: 200 answer backups\[\]\.note: missing from the spec/);
    expect(found).toMatch(
      /v2-get-backups.txt: 200 answer quotaInfo\.used: documented integer, spec has string/,
    );
    expect(found).toMatch(/v2-get-backups.txt: 200 answer backups\[\]\.createdAt: documented nullable/);
    expect(found).toMatch(
      /v2-post-backups.txt: 202 answer operation\.status: documented enum \[completed, failed, in_progress, pending, queued\], spec has \[completed, in_progress, pending, queued\]/,
    );
    expect(found).toMatch(/restore-to-payg.txt: request body cpuCores: documented maximum 32, spec has 64/);
    expect(found).toMatch(
      /restore-sources.txt: 200 answer sources\[\]\.sourceType: documented enum \[retained, server\]/,
    );
    expect(found).toMatch(/v2-post-backups.txt: request body note: documented optional, spec requires it/);
    expect(found).toMatch(
      /v1-get-backups.txt: 200 answer data\[\]\.scheduleId: documented required, spec makes it optional/,
    );
  });
});
