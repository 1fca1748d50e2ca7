// The `$ref` fields of fapi-openapi.json that the Frontend API sends as `null`.
//
// OpenAPI 3.0 cannot put `nullable` beside a `$ref` (siblings of `$ref` are ignored), so
// the spec's bare `{"$ref": ...}` properties do not admit `null`, yet the real API answers
// `null` for them whenever the thing they describe does not exist (yet). Each entry here
// lets one such property be `null` as well, and says why; lib/openapi.mjs applies them
// when it compiles the spec. Nothing else is relaxed.
//
// `schema` is a name under `components.schemas`, `property` one of its `properties`.

// None so far: in the conformance flow (clerk-js and fapi-session: load, sign-ins, tokens,
// touch, end/remove, sign-out of all) the mock sends an object for every such property it
// sends at all (e.g. `Client.Session.user`, on ended and removed sessions too). A new entry
// is `Object.freeze({ schema: 'Client.Session', property: 'user', why: '...' })`;
// lib/openapi.mjs refuses one that does not name a `$ref` property of the spec.
export const NULLABLE_REFS = Object.freeze([]);
