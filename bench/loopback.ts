// Row "a real round trip": a node:http server on 127.0.0.1 answering the fixture body; raw fetch against the
// wrapper, interleaved, latency per request (p50, p99) pooled over the measured rounds.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import type { paths } from "../src/generated/v2.js";
import { createV2Client } from "../src/index.js";
import { fixtureAnswer, V2_GET } from "./fixture-bodies.js";
import { type Goal, type GroupResult, interleave, quantile, type Row } from "./harness.js";

const GOAL_P50 = 1.05;

export async function loopback(opts: { rounds: number; iterations: number }): Promise<GroupResult> {
  const answer = fixtureAnswer(V2_GET);
  const body = Buffer.from(answer.body);
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(answer.status, { "content-type": answer.contentType, "content-length": body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const vpsId = /vps_[A-Za-z0-9]+/.exec(answer.path)?.[0] ?? "vps_1";
    const url = base + answer.path;
    const headers = { Accept: "application/json", "User-Agent": "bench", Authorization: "Bearer test-token" };
    const bare = createClient<paths>({ baseUrl: base, headers });
    const client = createV2Client({ token: "test-token", baseUrl: base, userAgent: "bench" });
    const sides = [
      { name: "raw fetch", fn: async () => (await fetch(url, { headers })).json() },
      {
        name: "bare openapi-fetch v2",
        fn: async () =>
          (await bare.GET("/api/v2/vps/{id}/backup-schedules", { params: { path: { id: vpsId } } })).data,
      },
      { name: "wrapper v2", fn: () => client.backupSchedules.get(vpsId) },
    ];
    for (const side of sides) await side.fn();
    const r = await interleave(sides, {
      rounds: opts.rounds,
      iterationsPerRound: opts.iterations,
      warmupRounds: 2,
      keepSamples: true,
    });
    const rows: Row[] = sides.map((side, i) => {
      const s = r.sides.get(side.name);
      if (!s?.samples) throw new Error(side.name);
      const p50 = quantile(s.samples, 0.5);
      const p99 = quantile(s.samples, 0.99);
      return {
        group: "loopback round trip",
        name: `${side.name} p50`,
        value: p50 * 1000,
        unit: "µs",
        p25: quantile(s.samples, 0.25) * 1000,
        p75: quantile(s.samples, 0.75) * 1000,
        ...(i > 0 ? { ratio: r.ratio(side.name, "raw fetch"), ratioTo: "raw fetch p50" } : {}),
        extra: { p50Us: p50 * 1000, p99Us: p99 * 1000, requests: s.samples.length },
        note: `p99 ${(p99 * 1000).toFixed(0)} µs`,
      };
    });
    const rawSamples = r.sides.get("raw fetch")?.samples ?? [];
    const wrapSamples = r.sides.get("wrapper v2")?.samples ?? [];
    const p99Ratio = quantile(wrapSamples, 0.99) / quantile(rawSamples, 0.99);
    rows.push({
      group: "loopback round trip",
      name: "wrapper v2 p99 / raw fetch p99",
      value: p99Ratio,
      unit: "×",
      extra: { pooled: true },
    });
    const ratio = r.ratio("wrapper v2", "raw fetch");
    const goals: Goal[] = [
      {
        name: `loopback p50 ≤ ${GOAL_P50}× raw fetch`,
        target: `≤ ${GOAL_P50}×`,
        actual: `${ratio.median.toFixed(3)}× (p25–p75 ${ratio.p25.toFixed(3)}–${ratio.p75.toFixed(3)})`,
        met: ratio.median <= GOAL_P50,
        why: `bare openapi-fetch alone is ${r.ratio("bare openapi-fetch v2", "raw fetch").median.toFixed(3)}× raw fetch; the wrapper is ${r.ratio("wrapper v2", "bare openapi-fetch v2").median.toFixed(3)}× bare openapi-fetch`,
      },
    ];
    return { rows, goals };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
