// Lint rules for the project's own extensions that a configurable rule in redocly.yaml cannot express (they
// compare nodes with each other). The client and the mock are generated from these extensions
// (scripts/generate-operations.ts), so a broken one must fail `redocly lint`, not the generator.

/** `x-hostup-client` is unique per API: two operations cannot be the same client method. */
function ClientNameUnique() {
  const seen = new Map();
  return {
    Operation(operation, { report, location }) {
      const name = operation["x-hostup-client"];
      if (typeof name !== "string") return;
      const first = seen.get(name);
      if (first) {
        report({
          message: `x-hostup-client \`${name}\` is already the client method of ${first}; each operation needs its own`,
          location: location.child(["x-hostup-client"]),
        });
      } else seen.set(name, operation.operationId ?? "another operation");
    },
  };
}

/**
 * `x-hostup-idempotent`: whether a failed attempt may be sent again. GET, PUT and DELETE are idempotent by HTTP's
 * definition; a POST or PATCH states which it is (a create-or-replace is, "create a manual backup" is not).
 * (A configurable rule cannot ask for a boolean: its `enum` takes strings only.)
 */
function Idempotency() {
  return {
    Operation(operation, { report, location, key }) {
      const value = operation["x-hostup-idempotent"];
      const needed = key === "post" || key === "patch";
      if (typeof value === "boolean" || (value === undefined && !needed)) return;
      report({
        message: `a ${String(key).toUpperCase()} states x-hostup-idempotent: true (safe to send again) or false`,
        location: value === undefined ? location.key() : location.child(["x-hostup-idempotent"]),
      });
    },
  };
}

/**
 * `x-hostup-scope`: the API scopes a key needs for the operation, one (`backup:vm`) or a list of all of them
 * (`[backup:vm, write:billing]`: the key needs every one). The description says the same, in the same order, on
 * its own line: "Required scope: `read:vm`" or "Required scopes: `backup:vm`, `write:billing`". (Which scope names
 * exist is the configurable rule rule/operation-scope.)
 */
function Scope() {
  return {
    Operation(operation, { report, location }) {
      const value = operation["x-hostup-scope"];
      if (value === undefined) return; // rule/operation-scope reports it
      const scopes = Array.isArray(value) ? value : [value];
      const strings = scopes.every((scope) => typeof scope === "string" && scope !== "");
      if (!strings || scopes.length === 0 || new Set(scopes).size !== scopes.length) {
        report({
          message:
            "x-hostup-scope is one scope or a non-empty list of distinct scopes, e.g. [backup:vm, write:billing]",
          location: location.child(["x-hostup-scope"]),
        });
        return;
      }
      const expected =
        scopes.length === 1
          ? `Required scope: \`${scopes[0]}\``
          : `Required scopes: ${scopes.map((scope) => `\`${scope}\``).join(", ")}`;
      const lines = String(operation.description ?? "")
        .split("\n")
        .map((line) => line.trim());
      if (!lines.includes(expected)) {
        report({
          message: `the description says the scopes of x-hostup-scope on a line of its own: "${expected}"`,
          location: location.child(["description"]),
        });
      }
    },
  };
}

const PAGINATION_KEYS = ["cursor", "items", "hasMore", "nextCursor"];

/**
 * `x-hostup-pagination` names what a page walker needs: `cursor`, a query parameter of the operation, and `items`,
 * `hasMore`, `nextCursor`, properties of its 2xx JSON answer.
 */
function Pagination() {
  return {
    PathItem: {
      Operation(operation, { report, location, resolve }, parents) {
        const pagination = operation["x-hostup-pagination"];
        if (pagination === undefined) return;
        const at = location.child(["x-hostup-pagination"]);
        const keys = typeof pagination === "object" && pagination !== null ? Object.keys(pagination) : [];
        const bad = PAGINATION_KEYS.filter((key) => typeof pagination?.[key] !== "string");
        const extra = keys.filter((key) => !PAGINATION_KEYS.includes(key));
        if (bad.length > 0 || extra.length > 0) {
          report({
            message: `x-hostup-pagination is an object of the strings ${PAGINATION_KEYS.join(", ")} (${[...bad.map((k) => `${k} missing`), ...extra.map((k) => `${k} unknown`)].join(", ")})`,
            location: at,
          });
          return;
        }
        const parameters = [...(parents.PathItem?.parameters ?? []), ...(operation.parameters ?? [])].map(
          (parameter) => resolve(parameter).node,
        );
        if (!parameters.some((p) => p?.in === "query" && p.name === pagination.cursor)) {
          report({
            message: `x-hostup-pagination.cursor \`${pagination.cursor}\` is not a query parameter of this operation`,
            location: at.child(["cursor"]),
          });
        }
        const success = Object.entries(operation.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
        const response = success && resolve(success[1]).node;
        const schema = response?.content?.["application/json"]?.schema;
        const properties = (schema && resolve(schema).node?.properties) ?? {};
        for (const key of ["items", "hasMore", "nextCursor"]) {
          if (!(pagination[key] in properties)) {
            report({
              message: `x-hostup-pagination.${key} \`${pagination[key]}\` is not a property of the 2xx JSON answer`,
              location: at.child([key]),
            });
          }
        }
      },
    },
  };
}

export default function hostupPlugin() {
  return {
    id: "hostup",
    rules: {
      oas3: {
        "client-name-unique": ClientNameUnique,
        scope: Scope,
        idempotency: Idempotency,
        pagination: Pagination,
      },
    },
  };
}
