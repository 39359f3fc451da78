// What a HAR entry must look like for the checks to read it: the HAR 1.2 members they read, of the types the format
// gives them. A file from a browser, a proxy or a hand that breaks these is refused naming the member (a usage error),
// rather than failing somewhere inside the checks.

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A list of HAR name/value pairs (headers, cookies, queryString): the first problem, or undefined. */
function pairsProblem(list: unknown, where: string): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return `"${where}" must be an array of {name, value}`;
  const bad = list.findIndex(
    (item) => !isObject(item) || typeof item.name !== "string" || typeof item.value !== "string",
  );
  return bad === -1 ? undefined : `"${where}[${bad}]" must be {name, value} strings`;
}

/** Members that, when present, must be strings. */
function stringsProblem(object: Record<string, unknown>, names: string[], where: string): string | undefined {
  const bad = names.find((name) => object[name] !== undefined && typeof object[name] !== "string");
  return bad === undefined ? undefined : `"${where}.${bad}" must be a string`;
}

function postDataProblem(postData: unknown): string | undefined {
  if (postData === undefined) return undefined;
  if (!isObject(postData)) return '"request.postData" must be an object';
  const strings = stringsProblem(postData, ["mimeType", "text", "encoding"], "request.postData");
  if (strings) return strings;
  const { params } = postData;
  if (params === undefined) return undefined;
  if (!Array.isArray(params)) return '"request.postData.params" must be an array of {name, value}';
  const bad = params.findIndex(
    (p) =>
      !isObject(p) || typeof p.name !== "string" || (p.value !== undefined && typeof p.value !== "string"),
  );
  return bad === -1 ? undefined : `"request.postData.params[${bad}]" must be {name, value} strings`;
}

/** What a value is, without repeating it (a string or an object may hold a credential). */
function kindOf(value: unknown): string {
  if (typeof value === "string") return `a string of ${value.length} characters`;
  if (Array.isArray(value)) return "an array";
  return value === null || typeof value !== "object" ? String(value) : "an object";
}

function requestProblem(request: unknown): string | undefined {
  if (!isObject(request)) return 'has no "request" object';
  if (typeof request.method !== "string" || request.method === "")
    return '"request.method" must be a non-empty string';
  if (typeof request.url !== "string" || !URL.canParse(request.url))
    // not repeated: its query or userinfo may hold a credential
    return `"request.url" must be an absolute URL, got ${kindOf(request.url)}`;
  return (
    pairsProblem(request.headers, "request.headers") ??
    pairsProblem(request.cookies, "request.cookies") ??
    pairsProblem(request.queryString, "request.queryString") ??
    postDataProblem(request.postData)
  );
}

function responseProblem(response: unknown): string | undefined {
  if (!isObject(response)) return 'has no "response" object';
  if (typeof response.status !== "number") return '"response.status" must be a number';
  const pairs =
    pairsProblem(response.headers, "response.headers") ?? pairsProblem(response.cookies, "response.cookies");
  if (pairs) return pairs;
  const { content } = response;
  if (content === undefined) return undefined;
  if (!isObject(content)) return '"response.content" must be an object';
  return stringsProblem(content, ["mimeType", "text", "encoding"], "response.content");
}

/** The first thing an entry lacks, or holds in the wrong type, that the checks read (HAR 1.2 names), or undefined. */
export function entryProblem(entry: unknown): string | undefined {
  if (!isObject(entry)) return "is not an object";
  return requestProblem(entry.request) ?? responseProblem(entry.response);
}
