/**
 * The rewrites that slim Ajv's standalone output (scripts/generate-validators.ts runs them, in `slimStandalone`,
 * when the spec uses no keyword that needs Ajv's dynamic scope): dead guards and bookkeeping go, failures return at
 * once through one `fail()`, and the checks the validators share (src/validation.ts) replace their inlined copies.
 * Each works on the text of the code, line by line, and leaves alone any shape it does not recognise exactly; the
 * differential tests (test/client/validators.test.ts, validator-slimming.test.ts) hold them to Ajv's verdicts.
 */
/** The net count of braces a line opens (braces inside strings, such as patterns, do not count). */
function braceDelta(line: string): number {
  const code = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
}

/** The index of the line that closes the block opened on line `open`. */
function closingLine(lines: string[], open: number): number {
  let depth = braceDelta(lines[open] as string);
  let i = open;
  while (depth > 0) depth += braceDelta(lines[++i] as string);
  return i;
}

/**
 * With `strictNumbers`, Ajv spells "a finite number" and "an integer" out in full; these are the standard predicates
 * that say exactly that. A bound check inside a finite-number guard cannot meet NaN, so its `|| isNaN(x)` goes.
 */
export function finiteNumbers(code: string): string {
  const lines = code
    .replace(
      /!\(\(\(typeof (\w+) == "number"\) && \(!\(\1 % 1\) && !isNaN\(\1\)\)\) && \(isFinite\(\1\)\)\)/g,
      "!Number.isInteger($1)",
    )
    .replace(/\(typeof (\w+) == "number"\) && \(isFinite\(\1\)\)/g, "Number.isFinite($1)")
    .split("\n");
  // the variables known finite at each depth of braces: inside `if(Number.isFinite(x)){ ... }`
  const guarded: { name: string; depth: number }[] = [];
  let depth = 0;
  return lines
    .map((line) => {
      let out = line;
      for (const { name } of guarded) out = out.replaceAll(` || isNaN(${name})`, "");
      const guard = /^if\(Number\.isFinite\((\w+)\)\)\{$/.exec(line);
      depth += braceDelta(line);
      if (guard) guarded.push({ name: guard[1] as string, depth });
      while (guarded.length > 0 && depth < (guarded.at(-1)?.depth ?? 0)) guarded.pop();
      return out;
    })
    .join("\n");
}

/**
 * Ajv repeats checks that are already known to hold: a branch of a discriminator checks again that the data is an
 * object (inside the check that it is), and a number's bounds are guarded by "is a finite number" right after the
 * data was found to be an integer. Such a guard becomes a plain block, and its `else` (which cannot run) goes.
 */
export function deadGuards(code: string): string {
  const lines = code.split("\n");
  const out: string[] = [];
  // conditions known to hold, each until the block at its depth closes
  const known: { condition: string; depth: number }[] = [];
  // depths of the blocks that were guards, whose `else` is to be dropped
  const unguarded: number[] = [];
  let depth = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const guard = /^if\((.*)\)\{$/.exec(line)?.[1];
    if (guard !== undefined && known.some((fact) => fact.condition === guard)) {
      out.push("{");
      depth++;
      unguarded.push(depth);
      continue;
    }
    if (line === "}" && unguarded.at(-1) === depth && lines[i + 1] === "else {") {
      // skip the else block: from its opening line to its closing brace
      let skip = 1;
      let j = i + 2;
      for (; skip > 0; j++) skip += braceDelta(lines[j] as string);
      unguarded.pop();
      depth--;
      out.push("}");
      i = j - 1;
      while (known.length > 0 && (known.at(-1)?.depth ?? 0) > depth) known.pop();
      continue;
    }
    depth += braceDelta(line);
    if (unguarded.length > 0 && (unguarded.at(-1) ?? 0) > depth) unguarded.pop();
    while (known.length > 0 && (known.at(-1)?.depth ?? 0) > depth) known.pop();
    out.push(line);
    if (guard?.startsWith('data && typeof data == "object"')) known.push({ condition: guard, depth });
    const integer = /^if\(!Number\.isInteger\((\w+)\)\)\{$/.exec(lines[i - 2] ?? "");
    if (integer && /^return fail\(/.test(lines[i - 1] ?? "") && line === "}")
      known.push({ condition: `Number.isFinite(${integer[1]})`, depth });
  }
  return out.join("\n");
}

/**
 * In the branch a discriminator picked (`if(tag0 === "daily")`, where `const tag0 = data.frequency`), the branch's
 * own check of that property (a string, equal to "daily": an enum of one or a const) cannot fail: it goes.
 */
export function discriminatedTags(code: string): string {
  let out = code;
  for (const [, tag, property] of code.matchAll(/^const (tag\d+) = data\.(\w+);$/gm)) {
    const check = new RegExp(
      `^if\\(data\\.${property} !== undefined\\)\\{\\nlet (data\\d+) = data\\.${property};\\n` +
        'if\\(typeof \\1 !== "string"\\)\\{\\nreturn fail\\([^\\n]*\\);\\n\\}\\n' +
        'if\\((?:!\\(\\1 === ("[^"\\\\]*")\\)|("[^"\\\\]*") !== \\1)\\)\\{\\nreturn fail\\([^\\n]*\\);\\n\\}\\n\\}\\n(?:else \\{\\n\\}\\n)?',
      "gm",
    );
    out = out.replace(check, (block, _data, enumValue?: string, constValue?: string, offset?: number) => {
      // the branch this check is in: the nearest branch opened before it, in the same function
      const before = out.slice(0, offset);
      const branch = [
        ...before.matchAll(new RegExp(`^(?:else )?if\\(${tag} === ("[^"\\\\]*")\\)\\{$`, "gm")),
      ].at(-1);
      const sameFunction = branch && !/\nfunction |\nexport function /.test(before.slice(branch.index));
      return sameFunction && branch[1] === (enumValue ?? constValue) ? "" : block;
    });
  }
  return out;
}

/**
 * `if(ok){ ...rest } else { return fail(...); }`, Ajv's way to check a type before the checks that need it,
 * becomes `if(!(ok)){ return fail(...); } { ...rest }`: the same checks in the same order, in the one shape every
 * other check already has (fail early), which compresses better next to them.
 */
export function earlyReturns(code: string): string {
  const rewrite = (lines: string[]): string[] => {
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const condition = /^if\((.*)\)\{$/.exec(line)?.[1];
      if (condition !== undefined) {
        const close = closingLine(lines, i);
        const [elseLine, failure, end] = lines.slice(close + 1, close + 4);
        if (
          lines[close] === "}" &&
          elseLine === "else {" &&
          failure?.startsWith("return fail(") &&
          end === "}"
        ) {
          out.push(`if(!(${condition})){`, failure, "}", "{", ...rewrite(lines.slice(i + 1, close)), "}");
          i = close + 3;
          continue;
        }
      }
      out.push(line);
    }
    return out;
  };
  return rewrite(code.split("\n")).join("\n");
}

/**
 * Ajv nests every next check in a block of its own (`{`, or `if(true){` once its error counting is gone) and leaves
 * empty `else {}` behind. Where no two declarations of a function share a name (Ajv numbers them), such a block
 * can go without changing what any name refers to.
 */
export function flatBlocks(code: string): string {
  const lines = code.replace(/\nelse \{\n\}\n/g, "\n").split("\n");
  const drop = new Set<number>();
  for (let start = 0; start < lines.length; start++) {
    if (!/^(export )?function /.test(lines[start] as string)) continue;
    const end = closingLine(lines, start);
    const names = lines
      .slice(start, end)
      .flatMap((line) => [...line.matchAll(/\b(?:let|const) (\w+)/g)].map((m) => m[1]));
    if (new Set(names).size !== names.length) continue;
    for (let i = start + 1; i < end; i++) {
      if (lines[i] !== "{" && lines[i] !== "if(true){") continue;
      const close = closingLine(lines, i);
      if (lines[close] !== "}" || /^else\b/.test(lines[close + 1] ?? "")) continue;
      drop.add(i).add(close);
    }
  }
  return lines.filter((_, i) => !drop.has(i)).join("\n");
}

/**
 * Ajv writes "key is one of the schema's properties" (additionalProperties) and "the first required property that
 * is missing" (required) as chains of comparisons, one per name; a list of the names says the same in one
 * expression (in the same order: the first missing name is still the one reported). A condition is rewritten only
 * when it is nothing but such a chain; any other shape is left as Ajv wrote it.
 */
export function nameLists(code: string): string {
  const onlyChain = (condition: string, atom: RegExp) =>
    condition.replace(atom, "").replace(/[() ]|\|\|/g, "") === "";
  return code
    .replace(/^if\(!\((.+)\)\)\{$/gm, (line, condition: string) => {
      const atom = /\b(key\d+) === ("[^"\\]*")/g;
      const matches = [...condition.matchAll(atom)];
      const key = matches[0]?.[1];
      if (!key || !onlyChain(condition, atom) || matches.some((m) => m[1] !== key)) return line;
      return `if(![${matches.map((m) => m[2]).join(",")}].includes(${key})){`;
    })
    .replace(/^if\((.+)\)\{$/gm, (line, condition: string) => {
      const atom = /\(data\.(\w+) === undefined\) && \((missing\d+) = "(\w+)"\)/g;
      const matches = [...condition.matchAll(atom)];
      const missing = matches[0]?.[2];
      if (!missing || !onlyChain(condition, atom) || matches.some((m) => m[2] !== missing || m[1] !== m[3]))
        return line;
      return `if((${missing} = [${matches.map((m) => `"${m[1]}"`).join(",")}].find((name) => data[name] === undefined)) !== undefined){`;
    });
}

/** The helpers of src/validation.ts that the generated validators call; each is imported where it is called. */
export const SHARED_CHECKS = ["fail", "integer", "minLength", "closed", "required"] as const;

const PATH = String.raw`"(?:[^"\\]|\\.)*"`;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
/** Where a property's checks start: `if(data.hour !== undefined){` then `let data1 = data.hour;`. */
const PROPERTY = String.raw`^if\(data\.(?<key>\w+) !== undefined\)\{\nlet (?<v>data\d+) = data\.\k<key>;\n`;
/** Ajv's checks of an integer with both bounds, on the value `v` (regex source): type, then maximum, then minimum. */
const integerChecks = (v: string) =>
  String.raw`if\(!Number\.isInteger\(${v}\)\)\{\nreturn fail\((?<fn>\w+), (?<path>${PATH}), "type", \{type: "integer"\}\);\n\}\n` +
  String.raw`if\(${v} > (?<max>${NUMBER})\)\{\nreturn fail\(\k<fn>, \k<path>, "maximum", \{comparison: "<=", limit: \k<max>\}\);\n\}\n` +
  String.raw`else \{\nif\(${v} < (?<min>${NUMBER})\)\{\nreturn fail\(\k<fn>, \k<path>, "minimum", \{comparison: ">=", limit: \k<min>\}\);\n\}\n\}\n`;
const PROPERTY_INTEGER = new RegExp(`${PROPERTY}${integerChecks(String.raw`\k<v>`)}\\}\\n`, "gm");
const ROOT_INTEGER = new RegExp(`^${integerChecks("data")}`, "gm");
/** Ajv's checks of a string with a minLength and nothing else: type, then minLength. */
const PROPERTY_MIN_LENGTH = new RegExp(
  `${PROPERTY}${String.raw`if\(!\(typeof \k<v> === "string"\)\)\{\nreturn fail\((?<fn>\w+), (?<path>${PATH}), "type", \{type: "string"\}\);\n\}\n`}` +
    String.raw`if\(\k<v>\.length < (?<min>\d+)\)\{\nreturn fail\(\k<fn>, \k<path>, "minLength", \{limit: \k<min>\}\);\n\}\n\}\n`,
  "gm",
);

/** The additionalProperties loop of a closed object, over nameLists' list of its property names. */
const CLOSED = new RegExp(
  String.raw`^for\(const (?<key>key\d+) in data\)\{\nif\(!(?<names>\[[^\]\n]*\])\.includes\(\k<key>\)\)\{\n` +
    String.raw`return fail\((?<fn>\w+), "", "additionalProperties", \{additionalProperty: \k<key>\}\);\nbreak;\n\}\n\}\n`,
  "gm",
);
/** The required check of an object, over nameLists' list of the required names. */
const REQUIRED = new RegExp(
  String.raw`^let (?<missing>missing\d+);\nif\(\(\k<missing> = (?<names>\[[^\]\n]*\])\.find\(\(name\) => data\[name\] === undefined\)\) !== undefined\)\{\n` +
    String.raw`return fail\((?<fn>\w+), "", "required", \{missingProperty: \k<missing>\}\);\n\}\n`,
  "gm",
);

type Groups = Record<string, string>;
const groupsOf = (args: unknown[]) => args.at(-1) as Groups;

/**
 * Two shapes Ajv writes once per property, the same few checks each time, become one call to a helper of
 * src/validation.ts that makes the same checks in the same order and fails with the same error: an integer with
 * both bounds (type, maximum, minimum; the maximum left out when it is Number.MAX_SAFE_INTEGER, the helper's
 * default), a string with only a minLength (type, minLength), and at the root, the names nameLists listed: the
 * first key not among a closed object's properties (additionalProperties) and the first required name missing
 * (required). Only where the paths are literals (the instancePath folded); any other shape (one bound, other
 * keywords, another order) is left as Ajv wrote it.
 */
export function sharedChecks(code: string): string {
  const integer = (value: string, { fn, path, min, max }: Groups) =>
    `integer(${fn}, ${path}, ${value}, ${min}${Number(max) === Number.MAX_SAFE_INTEGER ? "" : `, ${max}`})`;
  const orFail = (condition: string) => `if(${condition}){\nreturn false;\n}\n`;
  return code
    .replace(PROPERTY_INTEGER, (...args) => {
      const g = groupsOf(args);
      return orFail(`data.${g.key} !== undefined && !${integer(`data.${g.key}`, g)}`);
    })
    .replace(ROOT_INTEGER, (...args) => orFail(`!${integer("data", groupsOf(args))}`))
    .replace(PROPERTY_MIN_LENGTH, (...args) => {
      const { key, fn, path, min } = groupsOf(args);
      return orFail(`data.${key} !== undefined && !minLength(${fn}, ${path}, data.${key}, ${min})`);
    })
    .replace(CLOSED, (...args) => {
      const { fn, names } = groupsOf(args);
      return orFail(`!closed(${fn}, data, ${names})`);
    })
    .replace(REQUIRED, (...args) => {
      const { fn, names } = groupsOf(args);
      return orFail(`!required(${fn}, data, ${names})`);
    });
}

/** The helpers of src/validation.ts that keyedChecks' calls use, besides SHARED_CHECKS. */
export const KEYED_CHECKS = ["member", "typed", "matches", "object", "valid"] as const;

/** A property key that is its own JSON-pointer token and a JavaScript identifier: `data.key`, path `"/key"`. */
const KEY = String.raw`[A-Za-z_$][\w$]*`;

/** Ajv's checks of a string with a pattern and nothing else (type, pattern), of `data` or of the named group. */
const stringPattern = (group: string) => {
  const value = group ? String.raw`\k<${group}>` : "data";
  return (
    String.raw`if\(!\(typeof ${value} === "string"\)\)\{\nreturn fail\((?<fn>\w+), (?<path>"[^"]*"), "type", \{type: "string"\}\);\n\}\n` +
    String.raw`if\(!(?<pattern>pattern\d+)\.test\(${value}\)\)\{\nreturn fail\(\k<fn>, \k<path>, "pattern", \{pattern: (?<text>"(?:[^"\\]|\\.)*")\}\);\n\}\n`
  );
};

/**
 * The checks every validator repeats, each a call of a helper of src/validation.ts that decides and fails the
 * same way, in fewer and more alike words (run after sharedChecks, on its output): a member's checks that run
 * only when it is present (`data.hour !== undefined && !integer(v, "/hour", data.hour, 0, 23)` becomes
 * `!member(v, data, "hour", integer, 0, 23)`), a typeof check of a string or a boolean (typed), a string that must
 * match a pattern and nothing else (matches: the pattern's RegExp, whose `source` is the schema's pattern, or
 * the shape is left alone), "an object" at the root (object), and the last two lines of each validator
 * (`v.errors = null; return true;`: valid). Only where a path is `/` and the member's name; any other shape is
 * left as it was.
 */
export function keyedChecks(code: string): string {
  // the patterns whose RegExp's source is the schema's text: `regex.source` can stand for the params' copy
  const sources = new Map<string, string>();
  for (const [, name, text] of code.matchAll(
    /^const (pattern\d+) = new RegExp\(("(?:[^"\\]|\\.)*"), "u"\);$/gm,
  )) {
    const source = JSON.parse(text as string) as string;
    if (new RegExp(source, "u").source === source) sources.set(name as string, text as string);
  }
  const orFail = (condition: string) => `if(${condition}){\nreturn false;\n}\n`;
  const keyed = (key: string, path: string) => path === `"/${key}"`;
  return (
    code
      // a member's integer or minLength check (sharedChecks' calls)
      .replace(
        new RegExp(
          String.raw`^if\(data\.(${KEY}) !== undefined && !(integer|minLength)\((\w+), ("[^"]*"), data\.\1, `,
          "gm",
        ),
        (line, key: string, check: string, fn: string, path: string) =>
          keyed(key, path) ? `if(!member(${fn}, data, "${key}", ${check}, ` : line,
      )
      // a member that must be a string or a boolean, and nothing else
      .replace(
        new RegExp(
          String.raw`^if\(data\.(${KEY}) !== undefined\)\{\nif\(typeof data\.\1 !== "(string|boolean)"\)\{\n` +
            String.raw`return fail\((\w+), ("[^"]*"), "type", \{type: "\2"\}\);\n\}\n\}\n`,
          "gm",
        ),
        (block, key: string, type: string, fn: string, path: string) =>
          keyed(key, path) ? orFail(`!member(${fn}, data, "${key}", typed, "${type}")`) : block,
      )
      // a member, or the data itself, that must be a string matching a pattern, and nothing else
      .replace(
        new RegExp(
          String.raw`^if\(data\.(?<key>${KEY}) !== undefined\)\{\nlet (?<value>data\d+) = data\.\k<key>;\n${stringPattern("value")}\}\n`,
          "gm",
        ),
        (...args) => {
          const { key, fn, path, pattern, text } = args.at(-1) as Groups;
          return sources.get(pattern as string) === text && keyed(key as string, path as string)
            ? orFail(`!member(${fn}, data, "${key}", matches, ${pattern})`)
            : (args[0] as string);
        },
      )
      .replace(new RegExp(String.raw`^${stringPattern("")}`, "gm"), (...args) => {
        const { fn, path, pattern, text } = args.at(-1) as Groups;
        return sources.get(pattern as string) === text && path === '""'
          ? orFail(`!matches(${fn}, "", data, ${pattern})`)
          : (args[0] as string);
      })
      .replace(
        /^if\(!\(data && typeof data == "object" && !Array\.isArray\(data\)\)\)\{\nreturn fail\((\w+), "", "type", \{type: "object"\}\);\n\}\n/gm,
        (_block, fn: string) => orFail(`!object(${fn}, data)`),
      )
      .replace(/^(\w+)\.errors = null;\nreturn true;\n\}$/gm, "return valid($1);\n}")
  );
}

// A function whose whole body calls one other validator and hands on its errors (a body schema that is a $ref).
const FORWARDER =
  /^function (validate\d+)\(data, \{instancePath=""\}=\{\}\)\{\nlet vErrors = null;\nlet errors = 0;\nif\(!\((validate\d+)\(data, \{instancePath\}\)\)\)\{\nvErrors = vErrors === null \? \2\.errors : vErrors\.concat\(\2\.errors\);\nerrors = vErrors\.length;\n\}\n\1\.errors = vErrors;\nreturn errors === 0;\n\}\n/gm;

/**
 * Shrinks Ajv's standalone output for what these specs use (the app ships it: every byte counts, see bench/).
 * Without unevaluated* and $dynamicRef, the `evaluated` bookkeeping and the parentData/rootData/dynamicAnchors
 * parameters are dead; with `allErrors: false` every failure returns at once, so the `errors` counter and the
 * `validN` flags of a function that never counts are always 0 and true; the schema objects kept only for `enum`
 * error params are inlined, and the repeated `v.errors = [...]; return false` becomes one `fail()` call. A
 * function that only forwards to another (a body schema that is a lone $ref) gives way to the one it calls, and
 * when no validator calls another, the instancePath parameter (always "") folds into the paths it prefixes.
 * Every step is a literal match on Ajv's output; whatever is left that should not be throws, so an Ajv update
 * that changes the shape fails generation instead of shipping broken validators.
 * Then rewrites that keep what the code decides while saying it in fewer, more alike words (each leaves any
 * shape it does not know as Ajv wrote it; test/client/validator-slimming.test.ts holds each to its scope):
 * finiteNumbers, nameLists, discriminatedTags, deadGuards, earlyReturns, flatBlocks, and sharedChecks last.
 */
export function slimStandalone(code: string): string {
  let out = code
    .replace(
      /const evaluated0 = validate\d+\.evaluated;\nif\(evaluated0\.dynamicProps\)\{\nevaluated0\.props = undefined;\n\}\nif\(evaluated0\.dynamicItems\)\{\nevaluated0\.items = undefined;\n\}\n/g,
      "",
    )
    .replace(/^validate\d+\.evaluated = \{[^}]*\};\n/gm, "")
    .replace(/^evaluated0\.props = props0;\n/gm, "")
    .replace(/^var props0 = true;\n/gm, "")
    .replace(/^if\(props0 !== true\)\{\nprops0 = true;\n\}\n/gm, "")
    .replace(/^else \{\nvar props0 = validate\d+\.evaluated\.props;\n\}\n/gm, "")
    .replaceAll(
      '{instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}',
      '{instancePath=""}={}',
    )
    .replaceAll("{instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}", "{instancePath}");
  out = out.replace(/^function (validate\d+)\([^\n]*\n[\s\S]*?\nreturn errors === 0;\n\}\n/gm, (fn, name) => {
    // a function that forwards a callee's errors (`errors = vErrors.length`) keeps its counter
    if (/(?<![.\w])errors(\+\+| = (?!0;))/.test(fn)) return fn;
    return fn
      .replace(/^let vErrors = null;\nlet errors = 0;\n/m, "")
      .replace(/^const _errs\d+ = errors;\n/gm, "")
      .replace(/\berrors === _errs\d+\b|\b_errs\d+ === errors\b|(?<![.\w])errors === 0\b/g, "true")
      .replace(`${name}.errors = vErrors;`, `${name}.errors = null;`)
      .replace(/^var valid\d+ = false;\n(?=validate\d+\.errors = \[.*\];\nreturn false;\n)/gm, "")
      .replace(/^var valid\d+ = true;\n/gm, "")
      .replace(/\bif\(valid\d+\)\{/g, "{");
  });
  const schemas = new Map<string, unknown>();
  for (const m of out.matchAll(/^const (schema\d+) = (.*);$/gm))
    schemas.set(m[1] as string, JSON.parse(m[2] as string));
  out = out
    .replace(/\b(schema\d+)((?:\.\w+)+)/g, (ref, name: string, path: string) => {
      let value = schemas.get(name);
      for (const key of path.slice(1).split("."))
        value = (value as Record<string, unknown> | undefined)?.[key];
      if (value === undefined) throw new Error(`generate-validators: cannot inline ${ref}`);
      return JSON.stringify(value);
    })
    .replace(/^const schema\d+ = .*;\n/gm, "")
    .replace(
      /^(validate\d+)\.errors = \[\{instancePath(?::([^,]+))?,keyword:("[^"]+"),params:(\{.*\})\}\];\nreturn false;$/gm,
      (_m, fn: string, path: string | undefined, keyword: string, params: string) =>
        `return fail(${fn}, ${path ?? "instancePath"}, ${keyword}, ${params});`,
    );
  // A schema that is only a $ref compiles to a function that calls the referenced one and hands on its errors:
  // export the referenced function itself (same verdict, same errors array).
  for (const m of [...out.matchAll(FORWARDER)]) {
    const [fn, outer, inner] = m as unknown as [string, string, string];
    out = out.replace(fn, "").replace(new RegExp(`\\b${outer}\\b`, "g"), inner);
  }
  out = flatBlocks(earlyReturns(deadGuards(discriminatedTags(nameLists(finiteNumbers(out))))));
  // No validator calls another: each is called by the client or the mock with the data alone, so every
  // instancePath starts as "" and the parameter folds into the paths it prefixes.
  if (!/(?<!function )\bvalidate\d+\(/.test(out)) {
    out = out
      .replaceAll('(data, {instancePath=""}={}){', "(data){")
      .replace(/\binstancePath\+"/g, '"')
      .replace(/^return fail\((validate\d+), instancePath, /gm, 'return fail($1, "", ');
  }
  const left =
    /\b(evaluated\d*|props\d+|valid\d+|_errs\d+|parentData|rootData|dynamicAnchors|schema\d+)\b/.exec(out);
  if (left)
    throw new Error(`generate-validators: slimStandalone left \`${left[0]}\` behind; Ajv's output changed`);
  return keyedChecks(sharedChecks(out));
}
