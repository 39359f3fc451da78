// The after-file check of test/setup/shared-globals.ts (a setupFiles entry) finds what a file leaves behind: each
// planted leftover is found, and put back here before the check runs for this file.
import { describe, expect, it, vi } from "vitest";
import { leftovers } from "../setup/shared-globals.js";

describe("leftovers: what a test file left for the next file in its worker", () => {
  it("nothing, for a file that changed nothing", () => {
    expect(leftovers({ ...process.env })).toEqual([]);
  });

  it("fake timers left on (planted)", () => {
    vi.useFakeTimers();
    try {
      expect(leftovers({ ...process.env })).toEqual([expect.stringMatching(/^fake timers are still on/)]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("an environment variable added, changed or removed (planted)", () => {
    const before = { ...process.env, HOSTUP_PLANTED_GONE: "x", HOSTUP_PLANTED_CHANGED: "1" };
    vi.stubEnv("HOSTUP_PLANTED_CHANGED", "2");
    vi.stubEnv("HOSTUP_PLANTED_ADDED", "y");
    try {
      expect(leftovers(before)).toEqual([
        expect.stringMatching(/^process\.env\.HOSTUP_PLANTED_ADDED changed/),
        expect.stringMatching(/^process\.env\.HOSTUP_PLANTED_CHANGED changed/),
        expect.stringMatching(/^process\.env\.HOSTUP_PLANTED_GONE changed/),
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
