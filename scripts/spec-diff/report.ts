/**
 * spec:diff's output: the semver bump the changes imply, and the changes as Markdown for a pull request, as a
 * CHANGELOG entry, or as JSON.
 */
import type { Change, Impact } from "./changes.js";
import type { TypeProbe } from "./types-probe.js";

export type Bump = "major" | "minor" | "patch" | "none";

export interface SpecDiffResult {
  /** The git ref compared with the working tree. */
  base: string;
  /** The commit actually compared: where HEAD's history meets `base`. */
  commit: string;
  changes: Change[];
  /** undefined when the TypeScript view was not asked for (--no-types). */
  types?: TypeProbe[];
  semver: { bump: Bump; current: string; next: string; reason: string };
}

const impacts: Impact[] = ["breaking", "risky", "compatible"];

/** Probes that fail where the comparison found nothing breaking or risky: what only TypeScript users feel. */
export function unexplainedProbes(changes: Change[], types: TypeProbe[] = []): TypeProbe[] {
  const area = (where: string) =>
    where.startsWith("response ")
      ? where.split(" ").slice(0, 2).join(" ")
      : where.startsWith("request body")
        ? "request body"
        : "parameters";
  const explained = new Set(
    changes
      .filter((c) => c.impact !== "compatible")
      .map(
        (c) => `${c.api} ${c.operationId} ${c.where.includes("parameter") ? "parameters" : area(c.where)}`,
      ),
  );
  return types.filter(
    (probe) => !probe.fits && !explained.has(`${probe.api} ${probe.operationId} ${area(probe.where)}`),
  );
}

export function semver(
  changes: Change[],
  types: TypeProbe[] | undefined,
  current: string,
): SpecDiffResult["semver"] {
  const count = (impact: Impact) => changes.filter((c) => c.impact === impact).length;
  const unexplained = unexplainedProbes(changes, types);
  let bump: Bump;
  let reason: string;
  if (count("breaking") > 0) {
    bump = "major";
    reason = `${count("breaking")} breaking change(s)`;
  } else if (unexplained.length > 0) {
    bump = "major";
    reason = `code written against the old generated types no longer compiles (${unexplained.length} check(s))`;
  } else if (count("risky") > 0) {
    bump = "minor";
    reason = `${count("risky")} risky change(s), nothing breaking`;
  } else if (changes.some((c) => c.kind !== "documentation")) {
    bump = "minor";
    reason = "compatible additions or relaxations";
  } else if (changes.length > 0) {
    bump = "patch";
    reason = "documentation only";
  } else {
    bump = "none";
    reason = "no change";
  }
  return { bump, current, next: nextVersion(current, bump), reason };
}

/** Below 1.0.0, npm's ^ ranges treat the minor as the major: a breaking change bumps the minor, the rest the patch. */
export function nextVersion(current: string, bump: Bump): string {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(current);
  if (!match || bump === "none") return current;
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (major === 0) return bump === "major" ? `0.${minor + 1}.0` : `0.${minor}.${patch + 1}`;
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const code = (text: string) => `\`${text}\``;

/** One change as a Markdown list item. */
export function changeLine(c: Change): string {
  const who = c.operationId ? `**${c.api} ${c.operationId}** (${code(c.endpoint)})` : `**${c.api}**`;
  const where =
    c.where === "operation" ? "" : `, ${c.where}${c.field !== undefined ? ` ${code(c.field)}` : ""}`;
  // An enum change names its values in its summary already.
  const values = c.kind.startsWith("enum-")
    ? ""
    : c.before !== undefined && c.after !== undefined
      ? ` (${c.before || "none"} → ${c.after})`
      : c.after !== undefined && c.kind !== "documentation"
        ? ` (${c.after})`
        : c.before !== undefined
          ? ` (was ${c.before})`
          : "";
  return `- ${who}${where}: ${c.summary}${values}.`;
}

/** Documentation-only changes of the same kind, one line for all their operations. */
function documentationLines(changes: Change[]): string[] {
  const byKind = new Map<string, Change[]>();
  for (const c of changes) byKind.set(c.after ?? "", [...(byKind.get(c.after ?? "") ?? []), c]);
  return [...byKind].map(
    ([kinds, these]) =>
      `- Documentation changed (${kinds}): ${these.map((c) => `**${c.api} ${c.operationId}**`).join(", ")}.`,
  );
}

function sections(changes: Change[], level: string): string[] {
  const out: string[] = [];
  for (const impact of impacts) {
    const these = changes.filter((c) => c.impact === impact);
    if (these.length === 0) continue;
    out.push(
      `${level} ${impact[0]?.toUpperCase()}${impact.slice(1)}`,
      "",
      ...these.filter((c) => c.kind !== "documentation").map(changeLine),
      ...documentationLines(these.filter((c) => c.kind === "documentation")),
      "",
    );
  }
  return out;
}

/** The entry for CHANGELOG.md's "Unreleased" section. */
export function formatChangelog(result: SpecDiffResult): string {
  if (result.changes.length === 0) return "";
  return `${sections(result.changes, "###").join("\n").trim()}\n`;
}

/** For a pull request (and the job summary). */
export function formatMarkdown(result: SpecDiffResult): string {
  const out: string[] = [
    `## OpenAPI changes since ${code(result.base)} (${code(result.commit.slice(0, 7))})`,
    "",
  ];
  const { bump, current, next, reason } = result.semver;
  if (result.changes.length === 0) {
    out.push("No change to what the package's users see.", "");
  } else {
    const counts = impacts
      .map((impact) => `${result.changes.filter((c) => c.impact === impact).length} ${impact}`)
      .join(", ");
    out.push(
      `**Semver: ${bump}** (${reason}; ${counts}). Next version: ${code(next)} (now ${code(current)}).`,
      "",
      ...sections(result.changes, "###"),
    );
  }
  if (result.types) {
    const failing = result.types.filter((probe) => !probe.fits);
    out.push("### As TypeScript users see it", "");
    if (failing.length === 0) {
      out.push(
        `All ${result.types.length} checks fit: code written against the old generated types compiles against the new ones.`,
      );
    } else {
      out.push(
        `${failing.length} of ${result.types.length} checks do not fit: code written against the old generated types ` +
          "no longer compiles here:",
        "",
        ...failing.map(
          (p) =>
            `- **${p.api} ${p.operationId}** (${code(p.endpoint)}), ${p.where}: ${p.message ?? "does not fit"}`,
        ),
      );
      const unexplained = unexplainedProbes(result.changes, result.types);
      if (unexplained.length > 0) {
        out.push(
          "",
          `${unexplained.length} of them where the comparison above found nothing breaking or risky.`,
        );
      }
    }
    out.push("");
  }
  return `${out.join("\n").trim()}\n`;
}

export function formatJson(result: SpecDiffResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
