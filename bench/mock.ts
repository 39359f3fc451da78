// Row "the mock": requests/s of the embedded mock server (src/mock, `startMockServer()`) on loopback, with 1 and
// 32 concurrent clients, each a loop of `fetch` alternating v1 and v2 GETs of the default seed's VM. Bounded: a
// fixed number of requests per client per round, rounds interleaved (1, 32, 32, 1, ...), then the server stops.
// The load generator runs in the same process as the server (2 cores), so these are lower bounds.
import { DEFAULT_VMS, SAMPLE_V1_KEY, SAMPLE_V2_TOKEN, startMockServer } from "../src/mock/index.js";
import type { GroupResult, Row } from "./harness.js";
import { spread } from "./harness.js";

export async function mockThroughput(opts: {
  rounds: number;
  requestsPerRound: number;
}): Promise<GroupResult> {
  const server = await startMockServer();
  try {
    const v1 = {
      url: `${server.url}/api/vm/${DEFAULT_VMS.web.vmid}/backup-schedules`,
      headers: { "X-API-Key": SAMPLE_V1_KEY },
    };
    const v2 = {
      url: `${server.url}/api/v2/vps/${DEFAULT_VMS.web.vpsId}/backup-schedules`,
      headers: { Authorization: `Bearer ${SAMPLE_V2_TOKEN}` },
    };
    const one = async (i: number) => {
      const target = i % 2 === 0 ? v1 : v2;
      const res = await fetch(target.url, { headers: target.headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`bench: the mock answered ${res.status} for ${target.url}`);
    };
    const runRound = async (concurrency: number): Promise<number> => {
      const perClient = Math.ceil(opts.requestsPerRound / concurrency);
      const started = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async (_, c) => {
          for (let i = 0; i < perClient; i++) await one(c + i);
        }),
      );
      return (perClient * concurrency * 1000) / (performance.now() - started);
    };
    await runRound(1);
    await runRound(32);
    const results = new Map<number, number[]>([
      [1, []],
      [32, []],
    ]);
    for (let round = 0; round < opts.rounds; round++) {
      const order = round % 2 === 0 ? [1, 32] : [32, 1];
      for (const c of order) results.get(c)?.push(await runRound(c));
    }
    const rows: Row[] = [1, 32].map((c) => {
      const s = spread(results.get(c) ?? []);
      return {
        group: "the mock",
        name: `${c} concurrent client${c === 1 ? "" : "s"}`,
        value: s.median,
        unit: "req/s",
        p25: s.p25,
        p75: s.p75,
        ...(c === 32
          ? {
              ratio: spread((results.get(32) ?? []).map((x, i) => x / ((results.get(1) ?? [])[i] as number))),
              ratioTo: "1 client",
            }
          : {}),
        note: `${opts.requestsPerRound} requests per round, v1/v2 GET backup schedules alternating`,
      };
    });
    return { rows };
  } finally {
    await server.close();
  }
}
