/* Generated from schema/bundle.schema.json by `npm run gen:validator` (ajv standalone code). Do not edit. */
// @ts-nocheck
/* eslint-disable */
"use strict";
export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://mcpgw.dev/schema/bundle.schema.json","title":"Bundle","description":"An mcpgw routing bundle: the compiled, immutable, content-addressed output of `mcpgw build`, and the only input of `mcpgw serve`. Holds no secrets: environment references stay references and keys are sha256 hashes.","type":"object","required":["format","digest","gateway","servers","tools","policy","toolsets","limits","metadata"],"additionalProperties":false,"properties":{"format":{"const":"mcpgw.bundle/1","description":"Bundle format version; the runtime refuses any other."},"digest":{"type":"string","pattern":"^sha256:[0-9a-f]{64}$","description":"sha256 of the canonical JSON of the bundle without `digest`, `metadata` and `signatures` (keys sorted, no whitespace): it names what the gateway does, so moving lines or keys around in the definition, or rebuilding with another compiler version that emits the same tables, keeps it."},"signatures":{"type":"array","description":"Signatures over `digest` (`mcpgw build --sign`), checked by `mcpgw serve --trust`. Not covered by the digest: a bundle has the same digest signed or not.","minItems":1,"items":{"$ref":"#/$defs/signature"}},"metadata":{"type":"object","description":"Where the bundle came from. Not covered by the digest.","required":["compiler","file","positions"],"additionalProperties":false,"properties":{"compiler":{"type":"object","description":"What produced the bundle.","required":["name","version"],"additionalProperties":false,"properties":{"name":{"const":"mcpgw","description":"Always mcpgw."},"version":{"type":"string","description":"Version of the mcpgw compiler."}}},"file":{"type":"string","description":"Path of the definition as given to the compiler, with forward slashes."},"positions":{"type":"object","description":"Source position (`file:line:col`) of the definition node behind each part of the bundle, keyed by the JSON Pointer of that part: servers, tools, rules, limits, groups, toolsets. `mcpgw explain` cites them.","additionalProperties":{"type":"string","pattern":"^.+:[0-9]+:[0-9]+$"}}}},"gateway":{"type":"object","description":"Gateway settings with every default filled in.","required":["name","tool_separator","max_name_length","allowed_origins","max_request_bytes","session_ttl_seconds","max_json_depth","result_bytes_in_flight","write_timeout_ms","probe_interval_ms"],"additionalProperties":false,"properties":{"name":{"type":"string","description":"serverInfo.name reported to clients."},"tool_separator":{"type":"string","description":"Joins namespace and tool name."},"max_name_length":{"type":"integer","description":"Longest exposed name; discovered names are made to fit."},"allowed_origins":{"type":"array","items":{"type":"string"},"description":"Browser origins allowed besides loopback."},"max_request_bytes":{"type":"integer","description":"Largest accepted request body."},"session_ttl_seconds":{"type":"integer","description":"Lifetime of a 2025-era session id, in seconds."},"max_json_depth":{"type":"integer","description":"Deepest accepted nesting of a request body."},"result_bytes_in_flight":{"type":"integer","description":"Bytes of upstream answers held at once, received but not yet written to their clients."},"write_timeout_ms":{"type":"integer","description":"How long a client may leave an answer unread before its connection is closed."},"probe_interval_ms":{"type":"integer","description":"How long a quiet server goes unchecked."}}},"servers":{"type":"object","description":"Upstream servers by name.","additionalProperties":{"$ref":"#/$defs/server"}},"tools":{"type":"object","description":"Tools declared in the definition (allow lists, aliases, costs), by exposed name on `/mcp`. Tools discovered at run time are named by the same rule (lib/names).","additionalProperties":{"$ref":"#/$defs/tool"}},"policy":{"$ref":"#/$defs/policy"},"toolsets":{"type":"object","description":"Named subsets served at /toolsets/<name>/mcp.","additionalProperties":{"$ref":"#/$defs/toolset"}},"auth":{"$ref":"#/$defs/auth"},"limits":{"type":"object","description":"Counter store settings.","required":["store","on_store_error"],"additionalProperties":false,"properties":{"store":{"enum":["memory","redis"],"description":"Where counters live."},"on_store_error":{"enum":["deny","allow"],"description":"What happens when the store is unreachable."}}},"guardrails":{"type":"object","additionalProperties":{"$ref":"#/$defs/guardrail"},"description":"Named guardrails, compiled."}},"$defs":{"signature":{"type":"object","description":"One signature over the bundle's digest.","required":["keyid","alg","sig"],"additionalProperties":false,"properties":{"keyid":{"type":"string","pattern":"^ed25519:[0-9a-f]{16}$","description":"Which key signed: `ed25519:` and the first 16 hex digits of the sha256 of its public key (SPKI DER), as `mcpgw keys signing` prints it."},"alg":{"const":"EdDSA","description":"Ed25519 (RFC 8032), over the UTF-8 bytes of the `digest` string."},"sig":{"type":"string","pattern":"^[A-Za-z0-9_-]{86}$","description":"The 64-byte Ed25519 signature, base64url without padding."}}},"stringMap":{"type":"object","additionalProperties":{"type":"string"}},"server":{"type":"object","required":["transport","namespace","timeout_ms","required","max_concurrency","queue","circuit_breaker","max_result_bytes","forward_headers","tools","aliases","cost"],"additionalProperties":false,"properties":{"transport":{"enum":["streamable-http","sse","stdio"],"description":"How the runtime reaches the server."},"description":{"type":"string","description":"Free text from the definition."},"namespace":{"type":"string","description":"Prefix of exposed names on /mcp."},"url":{"type":"string","description":"Endpoint (http transports); may hold ${env:NAME} references."},"headers":{"$ref":"#/$defs/stringMap","description":"Headers sent upstream; values may hold ${env:NAME} references."},"command":{"type":"string","description":"Program (stdio)."},"args":{"type":"array","items":{"type":"string"},"description":"Arguments (stdio)."},"env":{"$ref":"#/$defs/stringMap","description":"Child environment (stdio)."},"cwd":{"type":"string","description":"Child working directory (stdio)."},"timeout_ms":{"type":"integer","description":"Per-request timeout."},"required":{"type":"boolean","description":"/readyz is 200 only while this server is up."},"max_concurrency":{"type":"integer","description":"Requests in flight to this server per replica."},"queue":{"type":"object","required":["max","timeout_ms"],"additionalProperties":false,"description":"Requests waiting for a slot.","properties":{"max":{"type":"integer","description":"How many may wait."},"timeout_ms":{"type":"integer","description":"How long one may wait."}}},"circuit_breaker":{"type":"object","required":["failures","open_ms"],"additionalProperties":false,"description":"When requests stop reaching a failing server.","properties":{"failures":{"type":"integer","description":"Failures in a row that open the circuit."},"open_ms":{"type":"integer","description":"How long it stays open before one probe."}}},"max_result_bytes":{"type":"integer","description":"Largest answer taken from the server (one JSON-RPC message)."},"era":{"enum":["legacy","modern"],"description":"The protocol era the runtime must speak to the server; absent: negotiate (`server/discover`, then `initialize`)."},"forward_headers":{"type":"array","items":{"type":"string"},"description":"Lower-cased client request headers forwarded to this server only."},"tools":{"type":"object","required":["deny"],"additionalProperties":false,"description":"Server-level tool filter.","properties":{"allow":{"type":"array","items":{"type":"string"},"description":"When present, only these upstream tools are exposed."},"deny":{"type":"array","items":{"type":"string"},"description":"Upstream tools never exposed."}}},"aliases":{"$ref":"#/$defs/stringMap","description":"Upstream tool name → name after the namespace separator."},"cost":{"type":"object","required":["default","tools"],"additionalProperties":false,"description":"USD per call.","properties":{"default":{"type":"number","description":"Cost of a tool without its own entry."},"tools":{"type":"object","additionalProperties":{"type":"number"},"description":"Cost by upstream tool name."}}},"guardrails":{"type":"array","items":{"type":"string"},"description":"Guardrails applied to every call of this server's tools."},"roots":{"type":"array","items":{"$ref":"#/$defs/root"},"description":"The roots the runtime answers the server's roots/list with, in the definition's order; absent: the definition declares none (relay to the one client in flight that can answer, else an empty list)."},"oauth":{"type":"object","description":"OAuth client credentials for the upstream; secrets stay ${env:NAME} references.","required":["token_url","client_id","client_secret"],"additionalProperties":false,"properties":{"token_url":{"type":"string","description":"Token endpoint."},"client_id":{"type":"string","description":"Client id (may be an env reference)."},"client_secret":{"type":"string","description":"Client secret env reference."},"scope":{"type":"string","description":"Scopes requested."},"audience":{"type":"string","description":"Audience requested."}}}}},"root":{"type":"object","required":["uri"],"additionalProperties":false,"properties":{"uri":{"type":"string","description":"A file:// URI."},"name":{"type":"string","description":"Name of the root."}},"description":"A root as roots/list names it."},"tool":{"type":"object","required":["server","tool"],"additionalProperties":false,"properties":{"server":{"type":"string","description":"Owning server."},"tool":{"type":"string","description":"Upstream (original) tool name."}}},"grant":{"description":"What one server allows a principal: every exposed tool except some, or a closed list of tools.","oneOf":[{"type":"object","required":["all","except"],"additionalProperties":false,"properties":{"all":{"const":true,"description":"Every tool the server exposes…"},"except":{"type":"array","items":{"type":"string"},"description":"…but these upstream tool names."}}},{"type":"object","required":["all","tools"],"additionalProperties":false,"properties":{"all":{"const":false,"description":"Only the tools listed."},"tools":{"type":"array","items":{"type":"string"},"description":"Upstream tool names permitted (never empty: a server with no permitted tool is absent)."}}}]},"grants":{"type":"object","description":"Permitted servers and tools, by server name. A server that is absent is not permitted at all.","additionalProperties":{"$ref":"#/$defs/grant"}},"rule":{"type":"object","description":"One access or deny entry as written, with what it expanded to.","required":["entry","targets"],"additionalProperties":false,"properties":{"entry":{"type":"string","description":"The entry as written (server, server/tool, server/* or group)."},"targets":{"type":"array","description":"What the entry expands to, after groups: `server` or `server/tool`.","items":{"type":"string"}}}},"rateLimit":{"type":"object","required":["requests","window_ms","tools"],"additionalProperties":false,"properties":{"requests":{"type":"integer","description":"Calls per window."},"window_ms":{"type":"integer","description":"Window length in milliseconds."},"tools":{"type":"object","description":"Per-tool limits keyed by server/tool.","additionalProperties":{"type":"object","required":["requests","window_ms"],"additionalProperties":false,"properties":{"requests":{"type":"integer","description":"Calls per window."},"window_ms":{"type":"integer","description":"Window length in milliseconds."}}}}}},"budget":{"type":"object","required":["usd","per"],"additionalProperties":false,"properties":{"usd":{"type":"number","description":"Cap in USD."},"per":{"enum":["day","month"],"description":"UTC calendar window."}}},"level":{"type":"object","description":"What one level (key, team or org) declares.","required":["deny"],"properties":{"description":{"type":"string","description":"Free text from the definition."},"access":{"type":"array","items":{"$ref":"#/$defs/rule"},"description":"The level's access entries; absent when the level declares none (it then does not narrow)."},"deny":{"type":"array","items":{"$ref":"#/$defs/rule"},"description":"The level's deny entries."},"rate_limit":{"$ref":"#/$defs/rateLimit"},"budget":{"$ref":"#/$defs/budget"},"guardrails":{"type":"array","items":{"type":"string"},"description":"Guardrails applied to this level's principals."}}},"org":{"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["effective"],"unevaluatedProperties":false,"properties":{"effective":{"$ref":"#/$defs/grants"}}},"team":{"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["effective"],"unevaluatedProperties":false,"properties":{"org":{"type":"string","description":"Org of the team."},"effective":{"$ref":"#/$defs/grants"}}},"key":{"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["sha256","effective"],"unevaluatedProperties":false,"properties":{"sha256":{"type":"string","pattern":"^[0-9a-f]{64}$","description":"sha256 of the raw key, lower-case hex."},"team":{"type":"string","description":"Team of the key."},"org":{"type":"string","description":"Org of the key (its team's org when it has a team)."},"effective":{"$ref":"#/$defs/grants"}}},"policy":{"type":"object","description":"Compiled access policy.","required":["authentication","anonymous","groups","orgs","teams","keys"],"additionalProperties":false,"properties":{"authentication":{"enum":["none","required"],"description":"`required` when the definition declares keys or JWT auth; every request then needs a credential."},"anonymous":{"$ref":"#/$defs/grants","description":"What an unauthenticated client may use when authentication is `none`: every server."},"groups":{"type":"object","description":"Access groups, with their expansion.","additionalProperties":{"type":"object","required":["entries","targets"],"additionalProperties":false,"properties":{"entries":{"type":"array","items":{"type":"string"},"description":"As written."},"targets":{"type":"array","items":{"type":"string"},"description":"Expanded: server or server/tool."}}}},"orgs":{"type":"object","additionalProperties":{"$ref":"#/$defs/org"},"description":"Orgs by name."},"teams":{"type":"object","additionalProperties":{"$ref":"#/$defs/team"},"description":"Teams by name."},"keys":{"type":"object","additionalProperties":{"$ref":"#/$defs/key"},"description":"Keys by name."}}},"toolset":{"type":"object","required":["grants"],"additionalProperties":false,"properties":{"grants":{"$ref":"#/$defs/grants"}}},"auth":{"type":"object","additionalProperties":false,"description":"Credential settings besides keys.","properties":{"jwt":{"type":"object","required":["issuer","audience","jwks_uri","algorithms","clock_skew_s","claims"],"additionalProperties":false,"properties":{"issuer":{"type":"string","description":"Expected iss."},"audience":{"type":"array","items":{"type":"string"},"description":"Accepted aud values."},"jwks_uri":{"type":"string","description":"JWKS URL; may hold ${env:NAME} references."},"algorithms":{"type":"array","items":{"enum":["RS256","ES256","EdDSA"]},"description":"Accepted algorithms."},"clock_skew_s":{"type":"integer","description":"Tolerance for exp/nbf."},"claims":{"type":"object","additionalProperties":false,"description":"Claim names for team and org.","properties":{"team":{"type":"string","description":"Team claim."},"org":{"type":"string","description":"Org claim."}}}},"description":"JWT verification settings with defaults filled in."}}},"guardrail":{"type":"object","required":["deny_patterns","arguments_schema","redact"],"additionalProperties":false,"description":"A compiled guardrail.","properties":{"max_argument_bytes":{"type":"integer","description":"Largest arguments size in bytes."},"deny_patterns":{"type":"array","items":{"type":"object","required":["pattern","flags","message"],"additionalProperties":false,"properties":{"pattern":{"type":"string","description":"JavaScript regular expression source."},"flags":{"type":"string","description":"Regular expression flags."},"message":{"type":"string","description":"Error message when it matches."}}},"description":"Patterns refused in argument strings."},"arguments_schema":{"type":"object","additionalProperties":{"type":"object"},"description":"Extra JSON Schemas by server/tool."},"redact":{"type":"array","items":{"type":"object","required":["pattern","flags","replacement"],"additionalProperties":false,"properties":{"pattern":{"type":"string","description":"JavaScript regular expression source."},"flags":{"type":"string","description":"Regular expression flags."},"replacement":{"type":"string","description":"Replacement text."}}},"description":"Patterns redacted in results."}}}}};
const schema32 = {"type":"object","description":"One signature over the bundle's digest.","required":["keyid","alg","sig"],"additionalProperties":false,"properties":{"keyid":{"type":"string","pattern":"^ed25519:[0-9a-f]{16}$","description":"Which key signed: `ed25519:` and the first 16 hex digits of the sha256 of its public key (SPKI DER), as `mcpgw keys signing` prints it."},"alg":{"const":"EdDSA","description":"Ed25519 (RFC 8032), over the UTF-8 bytes of the `digest` string."},"sig":{"type":"string","pattern":"^[A-Za-z0-9_-]{86}$","description":"The 64-byte Ed25519 signature, base64url without padding."}}};
const schema38 = {"type":"object","required":["server","tool"],"additionalProperties":false,"properties":{"server":{"type":"string","description":"Owning server."},"tool":{"type":"string","description":"Upstream (original) tool name."}}};
const schema51 = {"type":"object","additionalProperties":false,"description":"Credential settings besides keys.","properties":{"jwt":{"type":"object","required":["issuer","audience","jwks_uri","algorithms","clock_skew_s","claims"],"additionalProperties":false,"properties":{"issuer":{"type":"string","description":"Expected iss."},"audience":{"type":"array","items":{"type":"string"},"description":"Accepted aud values."},"jwks_uri":{"type":"string","description":"JWKS URL; may hold ${env:NAME} references."},"algorithms":{"type":"array","items":{"enum":["RS256","ES256","EdDSA"]},"description":"Accepted algorithms."},"clock_skew_s":{"type":"integer","description":"Tolerance for exp/nbf."},"claims":{"type":"object","additionalProperties":false,"description":"Claim names for team and org.","properties":{"team":{"type":"string","description":"Team claim."},"org":{"type":"string","description":"Org claim."}}}},"description":"JWT verification settings with defaults filled in."}}};
const schema52 = {"type":"object","required":["deny_patterns","arguments_schema","redact"],"additionalProperties":false,"description":"A compiled guardrail.","properties":{"max_argument_bytes":{"type":"integer","description":"Largest arguments size in bytes."},"deny_patterns":{"type":"array","items":{"type":"object","required":["pattern","flags","message"],"additionalProperties":false,"properties":{"pattern":{"type":"string","description":"JavaScript regular expression source."},"flags":{"type":"string","description":"Regular expression flags."},"message":{"type":"string","description":"Error message when it matches."}}},"description":"Patterns refused in argument strings."},"arguments_schema":{"type":"object","additionalProperties":{"type":"object"},"description":"Extra JSON Schemas by server/tool."},"redact":{"type":"array","items":{"type":"object","required":["pattern","flags","replacement"],"additionalProperties":false,"properties":{"pattern":{"type":"string","description":"JavaScript regular expression source."},"flags":{"type":"string","description":"Regular expression flags."},"replacement":{"type":"string","description":"Replacement text."}}},"description":"Patterns redacted in results."}}};
const func1 = Object.prototype.hasOwnProperty;
const pattern4 = new RegExp("^sha256:[0-9a-f]{64}$", "u");
const pattern5 = new RegExp("^ed25519:[0-9a-f]{16}$", "u");
const pattern6 = new RegExp("^[A-Za-z0-9_-]{86}$", "u");
const pattern7 = new RegExp("^.+:[0-9]+:[0-9]+$", "u");
const schema33 = {"type":"object","required":["transport","namespace","timeout_ms","required","max_concurrency","queue","circuit_breaker","max_result_bytes","forward_headers","tools","aliases","cost"],"additionalProperties":false,"properties":{"transport":{"enum":["streamable-http","sse","stdio"],"description":"How the runtime reaches the server."},"description":{"type":"string","description":"Free text from the definition."},"namespace":{"type":"string","description":"Prefix of exposed names on /mcp."},"url":{"type":"string","description":"Endpoint (http transports); may hold ${env:NAME} references."},"headers":{"$ref":"#/$defs/stringMap","description":"Headers sent upstream; values may hold ${env:NAME} references."},"command":{"type":"string","description":"Program (stdio)."},"args":{"type":"array","items":{"type":"string"},"description":"Arguments (stdio)."},"env":{"$ref":"#/$defs/stringMap","description":"Child environment (stdio)."},"cwd":{"type":"string","description":"Child working directory (stdio)."},"timeout_ms":{"type":"integer","description":"Per-request timeout."},"required":{"type":"boolean","description":"/readyz is 200 only while this server is up."},"max_concurrency":{"type":"integer","description":"Requests in flight to this server per replica."},"queue":{"type":"object","required":["max","timeout_ms"],"additionalProperties":false,"description":"Requests waiting for a slot.","properties":{"max":{"type":"integer","description":"How many may wait."},"timeout_ms":{"type":"integer","description":"How long one may wait."}}},"circuit_breaker":{"type":"object","required":["failures","open_ms"],"additionalProperties":false,"description":"When requests stop reaching a failing server.","properties":{"failures":{"type":"integer","description":"Failures in a row that open the circuit."},"open_ms":{"type":"integer","description":"How long it stays open before one probe."}}},"max_result_bytes":{"type":"integer","description":"Largest answer taken from the server (one JSON-RPC message)."},"era":{"enum":["legacy","modern"],"description":"The protocol era the runtime must speak to the server; absent: negotiate (`server/discover`, then `initialize`)."},"forward_headers":{"type":"array","items":{"type":"string"},"description":"Lower-cased client request headers forwarded to this server only."},"tools":{"type":"object","required":["deny"],"additionalProperties":false,"description":"Server-level tool filter.","properties":{"allow":{"type":"array","items":{"type":"string"},"description":"When present, only these upstream tools are exposed."},"deny":{"type":"array","items":{"type":"string"},"description":"Upstream tools never exposed."}}},"aliases":{"$ref":"#/$defs/stringMap","description":"Upstream tool name → name after the namespace separator."},"cost":{"type":"object","required":["default","tools"],"additionalProperties":false,"description":"USD per call.","properties":{"default":{"type":"number","description":"Cost of a tool without its own entry."},"tools":{"type":"object","additionalProperties":{"type":"number"},"description":"Cost by upstream tool name."}}},"guardrails":{"type":"array","items":{"type":"string"},"description":"Guardrails applied to every call of this server's tools."},"roots":{"type":"array","items":{"$ref":"#/$defs/root"},"description":"The roots the runtime answers the server's roots/list with, in the definition's order; absent: the definition declares none (relay to the one client in flight that can answer, else an empty list)."},"oauth":{"type":"object","description":"OAuth client credentials for the upstream; secrets stay ${env:NAME} references.","required":["token_url","client_id","client_secret"],"additionalProperties":false,"properties":{"token_url":{"type":"string","description":"Token endpoint."},"client_id":{"type":"string","description":"Client id (may be an env reference)."},"client_secret":{"type":"string","description":"Client secret env reference."},"scope":{"type":"string","description":"Scopes requested."},"audience":{"type":"string","description":"Audience requested."}}}}};
const schema34 = {"type":"object","additionalProperties":{"type":"string"}};
const schema37 = {"type":"object","required":["uri"],"additionalProperties":false,"properties":{"uri":{"type":"string","description":"A file:// URI."},"name":{"type":"string","description":"Name of the root."}},"description":"A root as roots/list names it."};

function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((((((((((data.transport === undefined) && (missing0 = "transport")) || ((data.namespace === undefined) && (missing0 = "namespace"))) || ((data.timeout_ms === undefined) && (missing0 = "timeout_ms"))) || ((data.required === undefined) && (missing0 = "required"))) || ((data.max_concurrency === undefined) && (missing0 = "max_concurrency"))) || ((data.queue === undefined) && (missing0 = "queue"))) || ((data.circuit_breaker === undefined) && (missing0 = "circuit_breaker"))) || ((data.max_result_bytes === undefined) && (missing0 = "max_result_bytes"))) || ((data.forward_headers === undefined) && (missing0 = "forward_headers"))) || ((data.tools === undefined) && (missing0 = "tools"))) || ((data.aliases === undefined) && (missing0 = "aliases"))) || ((data.cost === undefined) && (missing0 = "cost"))){
validate21.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(func1.call(schema33.properties, key0))){
validate21.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.transport !== undefined){
let data0 = data.transport;
const _errs2 = errors;
if(!(((data0 === "streamable-http") || (data0 === "sse")) || (data0 === "stdio"))){
validate21.errors = [{instancePath:instancePath+"/transport",schemaPath:"#/properties/transport/enum",keyword:"enum",params:{allowedValues: schema33.properties.transport.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.description !== undefined){
const _errs3 = errors;
if(typeof data.description !== "string"){
validate21.errors = [{instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.namespace !== undefined){
const _errs5 = errors;
if(typeof data.namespace !== "string"){
validate21.errors = [{instancePath:instancePath+"/namespace",schemaPath:"#/properties/namespace/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.url !== undefined){
const _errs7 = errors;
if(typeof data.url !== "string"){
validate21.errors = [{instancePath:instancePath+"/url",schemaPath:"#/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.headers !== undefined){
let data4 = data.headers;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key1 in data4){
const _errs13 = errors;
if(typeof data4[key1] !== "string"){
validate21.errors = [{instancePath:instancePath+"/headers/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/stringMap/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid2 = _errs13 === errors;
if(!valid2){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/headers",schemaPath:"#/$defs/stringMap/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.command !== undefined){
const _errs15 = errors;
if(typeof data.command !== "string"){
validate21.errors = [{instancePath:instancePath+"/command",schemaPath:"#/properties/command/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs15 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.args !== undefined){
let data7 = data.args;
const _errs17 = errors;
if(errors === _errs17){
if(Array.isArray(data7)){
var valid3 = true;
const len0 = data7.length;
for(let i0=0; i0<len0; i0++){
const _errs19 = errors;
if(typeof data7[i0] !== "string"){
validate21.errors = [{instancePath:instancePath+"/args/" + i0,schemaPath:"#/properties/args/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid3 = _errs19 === errors;
if(!valid3){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/args",schemaPath:"#/properties/args/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs17 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.env !== undefined){
let data9 = data.env;
const _errs21 = errors;
const _errs22 = errors;
if(errors === _errs22){
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
for(const key2 in data9){
const _errs25 = errors;
if(typeof data9[key2] !== "string"){
validate21.errors = [{instancePath:instancePath+"/env/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/stringMap/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs25 === errors;
if(!valid5){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/env",schemaPath:"#/$defs/stringMap/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs21 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.cwd !== undefined){
const _errs27 = errors;
if(typeof data.cwd !== "string"){
validate21.errors = [{instancePath:instancePath+"/cwd",schemaPath:"#/properties/cwd/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs27 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timeout_ms !== undefined){
let data12 = data.timeout_ms;
const _errs29 = errors;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
validate21.errors = [{instancePath:instancePath+"/timeout_ms",schemaPath:"#/properties/timeout_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid0 = _errs29 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.required !== undefined){
const _errs31 = errors;
if(typeof data.required !== "boolean"){
validate21.errors = [{instancePath:instancePath+"/required",schemaPath:"#/properties/required/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid0 = _errs31 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.max_concurrency !== undefined){
let data14 = data.max_concurrency;
const _errs33 = errors;
if(!(((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14))) && (isFinite(data14)))){
validate21.errors = [{instancePath:instancePath+"/max_concurrency",schemaPath:"#/properties/max_concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid0 = _errs33 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.queue !== undefined){
let data15 = data.queue;
const _errs35 = errors;
if(errors === _errs35){
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
let missing1;
if(((data15.max === undefined) && (missing1 = "max")) || ((data15.timeout_ms === undefined) && (missing1 = "timeout_ms"))){
validate21.errors = [{instancePath:instancePath+"/queue",schemaPath:"#/properties/queue/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs37 = errors;
for(const key3 in data15){
if(!((key3 === "max") || (key3 === "timeout_ms"))){
validate21.errors = [{instancePath:instancePath+"/queue",schemaPath:"#/properties/queue/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs37 === errors){
if(data15.max !== undefined){
let data16 = data15.max;
const _errs38 = errors;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
validate21.errors = [{instancePath:instancePath+"/queue/max",schemaPath:"#/properties/queue/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid6 = _errs38 === errors;
}
else {
var valid6 = true;
}
if(valid6){
if(data15.timeout_ms !== undefined){
let data17 = data15.timeout_ms;
const _errs40 = errors;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
validate21.errors = [{instancePath:instancePath+"/queue/timeout_ms",schemaPath:"#/properties/queue/properties/timeout_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid6 = _errs40 === errors;
}
else {
var valid6 = true;
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/queue",schemaPath:"#/properties/queue/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs35 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.circuit_breaker !== undefined){
let data18 = data.circuit_breaker;
const _errs42 = errors;
if(errors === _errs42){
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
let missing2;
if(((data18.failures === undefined) && (missing2 = "failures")) || ((data18.open_ms === undefined) && (missing2 = "open_ms"))){
validate21.errors = [{instancePath:instancePath+"/circuit_breaker",schemaPath:"#/properties/circuit_breaker/required",keyword:"required",params:{missingProperty: missing2},message:"must have required property '"+missing2+"'"}];
return false;
}
else {
const _errs44 = errors;
for(const key4 in data18){
if(!((key4 === "failures") || (key4 === "open_ms"))){
validate21.errors = [{instancePath:instancePath+"/circuit_breaker",schemaPath:"#/properties/circuit_breaker/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs44 === errors){
if(data18.failures !== undefined){
let data19 = data18.failures;
const _errs45 = errors;
if(!(((typeof data19 == "number") && (!(data19 % 1) && !isNaN(data19))) && (isFinite(data19)))){
validate21.errors = [{instancePath:instancePath+"/circuit_breaker/failures",schemaPath:"#/properties/circuit_breaker/properties/failures/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs45 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data18.open_ms !== undefined){
let data20 = data18.open_ms;
const _errs47 = errors;
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
validate21.errors = [{instancePath:instancePath+"/circuit_breaker/open_ms",schemaPath:"#/properties/circuit_breaker/properties/open_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs47 === errors;
}
else {
var valid7 = true;
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/circuit_breaker",schemaPath:"#/properties/circuit_breaker/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs42 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.max_result_bytes !== undefined){
let data21 = data.max_result_bytes;
const _errs49 = errors;
if(!(((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21))) && (isFinite(data21)))){
validate21.errors = [{instancePath:instancePath+"/max_result_bytes",schemaPath:"#/properties/max_result_bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid0 = _errs49 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.era !== undefined){
let data22 = data.era;
const _errs51 = errors;
if(!((data22 === "legacy") || (data22 === "modern"))){
validate21.errors = [{instancePath:instancePath+"/era",schemaPath:"#/properties/era/enum",keyword:"enum",params:{allowedValues: schema33.properties.era.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs51 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.forward_headers !== undefined){
let data23 = data.forward_headers;
const _errs52 = errors;
if(errors === _errs52){
if(Array.isArray(data23)){
var valid8 = true;
const len1 = data23.length;
for(let i1=0; i1<len1; i1++){
const _errs54 = errors;
if(typeof data23[i1] !== "string"){
validate21.errors = [{instancePath:instancePath+"/forward_headers/" + i1,schemaPath:"#/properties/forward_headers/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid8 = _errs54 === errors;
if(!valid8){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/forward_headers",schemaPath:"#/properties/forward_headers/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs52 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.tools !== undefined){
let data25 = data.tools;
const _errs56 = errors;
if(errors === _errs56){
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
let missing3;
if((data25.deny === undefined) && (missing3 = "deny")){
validate21.errors = [{instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/required",keyword:"required",params:{missingProperty: missing3},message:"must have required property '"+missing3+"'"}];
return false;
}
else {
const _errs58 = errors;
for(const key5 in data25){
if(!((key5 === "allow") || (key5 === "deny"))){
validate21.errors = [{instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs58 === errors){
if(data25.allow !== undefined){
let data26 = data25.allow;
const _errs59 = errors;
if(errors === _errs59){
if(Array.isArray(data26)){
var valid10 = true;
const len2 = data26.length;
for(let i2=0; i2<len2; i2++){
const _errs61 = errors;
if(typeof data26[i2] !== "string"){
validate21.errors = [{instancePath:instancePath+"/tools/allow/" + i2,schemaPath:"#/properties/tools/properties/allow/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid10 = _errs61 === errors;
if(!valid10){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/tools/allow",schemaPath:"#/properties/tools/properties/allow/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid9 = _errs59 === errors;
}
else {
var valid9 = true;
}
if(valid9){
if(data25.deny !== undefined){
let data28 = data25.deny;
const _errs63 = errors;
if(errors === _errs63){
if(Array.isArray(data28)){
var valid11 = true;
const len3 = data28.length;
for(let i3=0; i3<len3; i3++){
const _errs65 = errors;
if(typeof data28[i3] !== "string"){
validate21.errors = [{instancePath:instancePath+"/tools/deny/" + i3,schemaPath:"#/properties/tools/properties/deny/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid11 = _errs65 === errors;
if(!valid11){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/tools/deny",schemaPath:"#/properties/tools/properties/deny/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid9 = _errs63 === errors;
}
else {
var valid9 = true;
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs56 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.aliases !== undefined){
let data30 = data.aliases;
const _errs67 = errors;
const _errs68 = errors;
if(errors === _errs68){
if(data30 && typeof data30 == "object" && !Array.isArray(data30)){
for(const key6 in data30){
const _errs71 = errors;
if(typeof data30[key6] !== "string"){
validate21.errors = [{instancePath:instancePath+"/aliases/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/stringMap/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid13 = _errs71 === errors;
if(!valid13){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/aliases",schemaPath:"#/$defs/stringMap/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs67 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.cost !== undefined){
let data32 = data.cost;
const _errs73 = errors;
if(errors === _errs73){
if(data32 && typeof data32 == "object" && !Array.isArray(data32)){
let missing4;
if(((data32.default === undefined) && (missing4 = "default")) || ((data32.tools === undefined) && (missing4 = "tools"))){
validate21.errors = [{instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/required",keyword:"required",params:{missingProperty: missing4},message:"must have required property '"+missing4+"'"}];
return false;
}
else {
const _errs75 = errors;
for(const key7 in data32){
if(!((key7 === "default") || (key7 === "tools"))){
validate21.errors = [{instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key7},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs75 === errors){
if(data32.default !== undefined){
let data33 = data32.default;
const _errs76 = errors;
if(!((typeof data33 == "number") && (isFinite(data33)))){
validate21.errors = [{instancePath:instancePath+"/cost/default",schemaPath:"#/properties/cost/properties/default/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
var valid14 = _errs76 === errors;
}
else {
var valid14 = true;
}
if(valid14){
if(data32.tools !== undefined){
let data34 = data32.tools;
const _errs78 = errors;
if(errors === _errs78){
if(data34 && typeof data34 == "object" && !Array.isArray(data34)){
for(const key8 in data34){
let data35 = data34[key8];
const _errs81 = errors;
if(!((typeof data35 == "number") && (isFinite(data35)))){
validate21.errors = [{instancePath:instancePath+"/cost/tools/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/cost/properties/tools/additionalProperties/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
var valid15 = _errs81 === errors;
if(!valid15){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/cost/tools",schemaPath:"#/properties/cost/properties/tools/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid14 = _errs78 === errors;
}
else {
var valid14 = true;
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/cost",schemaPath:"#/properties/cost/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs73 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.guardrails !== undefined){
let data36 = data.guardrails;
const _errs83 = errors;
if(errors === _errs83){
if(Array.isArray(data36)){
var valid16 = true;
const len4 = data36.length;
for(let i4=0; i4<len4; i4++){
const _errs85 = errors;
if(typeof data36[i4] !== "string"){
validate21.errors = [{instancePath:instancePath+"/guardrails/" + i4,schemaPath:"#/properties/guardrails/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid16 = _errs85 === errors;
if(!valid16){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/guardrails",schemaPath:"#/properties/guardrails/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs83 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.roots !== undefined){
let data38 = data.roots;
const _errs87 = errors;
if(errors === _errs87){
if(Array.isArray(data38)){
var valid17 = true;
const len5 = data38.length;
for(let i5=0; i5<len5; i5++){
let data39 = data38[i5];
const _errs89 = errors;
const _errs90 = errors;
if(errors === _errs90){
if(data39 && typeof data39 == "object" && !Array.isArray(data39)){
let missing5;
if((data39.uri === undefined) && (missing5 = "uri")){
validate21.errors = [{instancePath:instancePath+"/roots/" + i5,schemaPath:"#/$defs/root/required",keyword:"required",params:{missingProperty: missing5},message:"must have required property '"+missing5+"'"}];
return false;
}
else {
const _errs92 = errors;
for(const key9 in data39){
if(!((key9 === "uri") || (key9 === "name"))){
validate21.errors = [{instancePath:instancePath+"/roots/" + i5,schemaPath:"#/$defs/root/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key9},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs92 === errors){
if(data39.uri !== undefined){
const _errs93 = errors;
if(typeof data39.uri !== "string"){
validate21.errors = [{instancePath:instancePath+"/roots/" + i5+"/uri",schemaPath:"#/$defs/root/properties/uri/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid19 = _errs93 === errors;
}
else {
var valid19 = true;
}
if(valid19){
if(data39.name !== undefined){
const _errs95 = errors;
if(typeof data39.name !== "string"){
validate21.errors = [{instancePath:instancePath+"/roots/" + i5+"/name",schemaPath:"#/$defs/root/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid19 = _errs95 === errors;
}
else {
var valid19 = true;
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/roots/" + i5,schemaPath:"#/$defs/root/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid17 = _errs89 === errors;
if(!valid17){
break;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/roots",schemaPath:"#/properties/roots/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs87 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.oauth !== undefined){
let data42 = data.oauth;
const _errs97 = errors;
if(errors === _errs97){
if(data42 && typeof data42 == "object" && !Array.isArray(data42)){
let missing6;
if((((data42.token_url === undefined) && (missing6 = "token_url")) || ((data42.client_id === undefined) && (missing6 = "client_id"))) || ((data42.client_secret === undefined) && (missing6 = "client_secret"))){
validate21.errors = [{instancePath:instancePath+"/oauth",schemaPath:"#/properties/oauth/required",keyword:"required",params:{missingProperty: missing6},message:"must have required property '"+missing6+"'"}];
return false;
}
else {
const _errs99 = errors;
for(const key10 in data42){
if(!(((((key10 === "token_url") || (key10 === "client_id")) || (key10 === "client_secret")) || (key10 === "scope")) || (key10 === "audience"))){
validate21.errors = [{instancePath:instancePath+"/oauth",schemaPath:"#/properties/oauth/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs99 === errors){
if(data42.token_url !== undefined){
const _errs100 = errors;
if(typeof data42.token_url !== "string"){
validate21.errors = [{instancePath:instancePath+"/oauth/token_url",schemaPath:"#/properties/oauth/properties/token_url/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid20 = _errs100 === errors;
}
else {
var valid20 = true;
}
if(valid20){
if(data42.client_id !== undefined){
const _errs102 = errors;
if(typeof data42.client_id !== "string"){
validate21.errors = [{instancePath:instancePath+"/oauth/client_id",schemaPath:"#/properties/oauth/properties/client_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid20 = _errs102 === errors;
}
else {
var valid20 = true;
}
if(valid20){
if(data42.client_secret !== undefined){
const _errs104 = errors;
if(typeof data42.client_secret !== "string"){
validate21.errors = [{instancePath:instancePath+"/oauth/client_secret",schemaPath:"#/properties/oauth/properties/client_secret/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid20 = _errs104 === errors;
}
else {
var valid20 = true;
}
if(valid20){
if(data42.scope !== undefined){
const _errs106 = errors;
if(typeof data42.scope !== "string"){
validate21.errors = [{instancePath:instancePath+"/oauth/scope",schemaPath:"#/properties/oauth/properties/scope/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid20 = _errs106 === errors;
}
else {
var valid20 = true;
}
if(valid20){
if(data42.audience !== undefined){
const _errs108 = errors;
if(typeof data42.audience !== "string"){
validate21.errors = [{instancePath:instancePath+"/oauth/audience",schemaPath:"#/properties/oauth/properties/audience/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid20 = _errs108 === errors;
}
else {
var valid20 = true;
}
}
}
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/oauth",schemaPath:"#/properties/oauth/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs97 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate21.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema39 = {"type":"object","description":"Compiled access policy.","required":["authentication","anonymous","groups","orgs","teams","keys"],"additionalProperties":false,"properties":{"authentication":{"enum":["none","required"],"description":"`required` when the definition declares keys or JWT auth; every request then needs a credential."},"anonymous":{"$ref":"#/$defs/grants","description":"What an unauthenticated client may use when authentication is `none`: every server."},"groups":{"type":"object","description":"Access groups, with their expansion.","additionalProperties":{"type":"object","required":["entries","targets"],"additionalProperties":false,"properties":{"entries":{"type":"array","items":{"type":"string"},"description":"As written."},"targets":{"type":"array","items":{"type":"string"},"description":"Expanded: server or server/tool."}}}},"orgs":{"type":"object","additionalProperties":{"$ref":"#/$defs/org"},"description":"Orgs by name."},"teams":{"type":"object","additionalProperties":{"$ref":"#/$defs/team"},"description":"Teams by name."},"keys":{"type":"object","additionalProperties":{"$ref":"#/$defs/key"},"description":"Keys by name."}}};
const schema40 = {"type":"object","description":"Permitted servers and tools, by server name. A server that is absent is not permitted at all.","additionalProperties":{"$ref":"#/$defs/grant"}};
const schema41 = {"description":"What one server allows a principal: every exposed tool except some, or a closed list of tools.","oneOf":[{"type":"object","required":["all","except"],"additionalProperties":false,"properties":{"all":{"const":true,"description":"Every tool the server exposes…"},"except":{"type":"array","items":{"type":"string"},"description":"…but these upstream tool names."}}},{"type":"object","required":["all","tools"],"additionalProperties":false,"properties":{"all":{"const":false,"description":"Only the tools listed."},"tools":{"type":"array","items":{"type":"string"},"description":"Upstream tool names permitted (never empty: a server with no permitted tool is absent)."}}}]};

function validate24(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate24.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
let data0 = data[key0];
const _errs2 = errors;
const _errs4 = errors;
let valid2 = false;
let passing0 = null;
const _errs5 = errors;
if(errors === _errs5){
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
let missing0;
if(((data0.all === undefined) && (missing0 = "all")) || ((data0.except === undefined) && (missing0 = "except"))){
const err0 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/0/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
else {
const _errs7 = errors;
for(const key1 in data0){
if(!((key1 === "all") || (key1 === "except"))){
const err1 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/0/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
break;
}
}
if(_errs7 === errors){
if(data0.all !== undefined){
const _errs8 = errors;
if(true !== data0.all){
const err2 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/all",schemaPath:"#/$defs/grant/oneOf/0/properties/all/const",keyword:"const",params:{allowedValue: true},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
var valid3 = _errs8 === errors;
}
else {
var valid3 = true;
}
if(valid3){
if(data0.except !== undefined){
let data2 = data0.except;
const _errs9 = errors;
if(errors === _errs9){
if(Array.isArray(data2)){
var valid4 = true;
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
const _errs11 = errors;
if(typeof data2[i0] !== "string"){
const err3 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/except/" + i0,schemaPath:"#/$defs/grant/oneOf/0/properties/except/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
var valid4 = _errs11 === errors;
if(!valid4){
break;
}
}
}
else {
const err4 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/except",schemaPath:"#/$defs/grant/oneOf/0/properties/except/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
var valid3 = _errs9 === errors;
}
else {
var valid3 = true;
}
}
}
}
}
else {
const err5 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/0/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
var _valid0 = _errs5 === errors;
if(_valid0){
valid2 = true;
passing0 = 0;
var props0 = true;
}
const _errs13 = errors;
if(errors === _errs13){
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
let missing1;
if(((data0.all === undefined) && (missing1 = "all")) || ((data0.tools === undefined) && (missing1 = "tools"))){
const err6 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/1/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
else {
const _errs15 = errors;
for(const key2 in data0){
if(!((key2 === "all") || (key2 === "tools"))){
const err7 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
break;
}
}
if(_errs15 === errors){
if(data0.all !== undefined){
const _errs16 = errors;
if(false !== data0.all){
const err8 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/all",schemaPath:"#/$defs/grant/oneOf/1/properties/all/const",keyword:"const",params:{allowedValue: false},message:"must be equal to constant"};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
var valid5 = _errs16 === errors;
}
else {
var valid5 = true;
}
if(valid5){
if(data0.tools !== undefined){
let data5 = data0.tools;
const _errs17 = errors;
if(errors === _errs17){
if(Array.isArray(data5)){
var valid6 = true;
const len1 = data5.length;
for(let i1=0; i1<len1; i1++){
const _errs19 = errors;
if(typeof data5[i1] !== "string"){
const err9 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/tools/" + i1,schemaPath:"#/$defs/grant/oneOf/1/properties/tools/items/type",keyword:"type",params:{type: "string"},message:"must be string"};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
var valid6 = _errs19 === errors;
if(!valid6){
break;
}
}
}
else {
const err10 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1")+"/tools",schemaPath:"#/$defs/grant/oneOf/1/properties/tools/type",keyword:"type",params:{type: "array"},message:"must be array"};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
var valid5 = _errs17 === errors;
}
else {
var valid5 = true;
}
}
}
}
}
else {
const err11 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object"};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
var _valid0 = _errs13 === errors;
if(_valid0 && valid2){
valid2 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid2 = true;
passing0 = 1;
if(props0 !== true){
props0 = true;
}
}
}
if(!valid2){
const err12 = {instancePath:instancePath+"/" + key0.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/grant/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf"};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
validate24.errors = vErrors;
return false;
}
else {
errors = _errs4;
if(vErrors !== null){
if(_errs4){
vErrors.length = _errs4;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs2 === errors;
if(!valid0){
break;
}
}
}
else {
validate24.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate24.errors = vErrors;
return errors === 0;
}
validate24.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema42 = {"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["effective"],"unevaluatedProperties":false,"properties":{"effective":{"$ref":"#/$defs/grants"}}};
const schema43 = {"type":"object","description":"What one level (key, team or org) declares.","required":["deny"],"properties":{"description":{"type":"string","description":"Free text from the definition."},"access":{"type":"array","items":{"$ref":"#/$defs/rule"},"description":"The level's access entries; absent when the level declares none (it then does not narrow)."},"deny":{"type":"array","items":{"$ref":"#/$defs/rule"},"description":"The level's deny entries."},"rate_limit":{"$ref":"#/$defs/rateLimit"},"budget":{"$ref":"#/$defs/budget"},"guardrails":{"type":"array","items":{"type":"string"},"description":"Guardrails applied to this level's principals."}}};
const schema44 = {"type":"object","description":"One access or deny entry as written, with what it expanded to.","required":["entry","targets"],"additionalProperties":false,"properties":{"entry":{"type":"string","description":"The entry as written (server, server/tool, server/* or group)."},"targets":{"type":"array","description":"What the entry expands to, after groups: `server` or `server/tool`.","items":{"type":"string"}}}};
const schema46 = {"type":"object","required":["requests","window_ms","tools"],"additionalProperties":false,"properties":{"requests":{"type":"integer","description":"Calls per window."},"window_ms":{"type":"integer","description":"Window length in milliseconds."},"tools":{"type":"object","description":"Per-tool limits keyed by server/tool.","additionalProperties":{"type":"object","required":["requests","window_ms"],"additionalProperties":false,"properties":{"requests":{"type":"integer","description":"Calls per window."},"window_ms":{"type":"integer","description":"Window length in milliseconds."}}}}}};
const schema47 = {"type":"object","required":["usd","per"],"additionalProperties":false,"properties":{"usd":{"type":"number","description":"Cap in USD."},"per":{"enum":["day","month"],"description":"UTC calendar window."}}};

function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate27.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.deny === undefined) && (missing0 = "deny")){
validate27.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.description !== undefined){
const _errs1 = errors;
if(typeof data.description !== "string"){
validate27.errors = [{instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs1 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.access !== undefined){
let data1 = data.access;
const _errs3 = errors;
if(errors === _errs3){
if(Array.isArray(data1)){
var valid1 = true;
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
const _errs5 = errors;
const _errs6 = errors;
if(errors === _errs6){
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
let missing1;
if(((data2.entry === undefined) && (missing1 = "entry")) || ((data2.targets === undefined) && (missing1 = "targets"))){
validate27.errors = [{instancePath:instancePath+"/access/" + i0,schemaPath:"#/$defs/rule/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs8 = errors;
for(const key0 in data2){
if(!((key0 === "entry") || (key0 === "targets"))){
validate27.errors = [{instancePath:instancePath+"/access/" + i0,schemaPath:"#/$defs/rule/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs8 === errors){
if(data2.entry !== undefined){
const _errs9 = errors;
if(typeof data2.entry !== "string"){
validate27.errors = [{instancePath:instancePath+"/access/" + i0+"/entry",schemaPath:"#/$defs/rule/properties/entry/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid3 = _errs9 === errors;
}
else {
var valid3 = true;
}
if(valid3){
if(data2.targets !== undefined){
let data4 = data2.targets;
const _errs11 = errors;
if(errors === _errs11){
if(Array.isArray(data4)){
var valid4 = true;
const len1 = data4.length;
for(let i1=0; i1<len1; i1++){
const _errs13 = errors;
if(typeof data4[i1] !== "string"){
validate27.errors = [{instancePath:instancePath+"/access/" + i0+"/targets/" + i1,schemaPath:"#/$defs/rule/properties/targets/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs13 === errors;
if(!valid4){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/access/" + i0+"/targets",schemaPath:"#/$defs/rule/properties/targets/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid3 = _errs11 === errors;
}
else {
var valid3 = true;
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/access/" + i0,schemaPath:"#/$defs/rule/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid1 = _errs5 === errors;
if(!valid1){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/access",schemaPath:"#/properties/access/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.deny !== undefined){
let data6 = data.deny;
const _errs15 = errors;
if(errors === _errs15){
if(Array.isArray(data6)){
var valid5 = true;
const len2 = data6.length;
for(let i2=0; i2<len2; i2++){
let data7 = data6[i2];
const _errs17 = errors;
const _errs18 = errors;
if(errors === _errs18){
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
let missing2;
if(((data7.entry === undefined) && (missing2 = "entry")) || ((data7.targets === undefined) && (missing2 = "targets"))){
validate27.errors = [{instancePath:instancePath+"/deny/" + i2,schemaPath:"#/$defs/rule/required",keyword:"required",params:{missingProperty: missing2},message:"must have required property '"+missing2+"'"}];
return false;
}
else {
const _errs20 = errors;
for(const key1 in data7){
if(!((key1 === "entry") || (key1 === "targets"))){
validate27.errors = [{instancePath:instancePath+"/deny/" + i2,schemaPath:"#/$defs/rule/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs20 === errors){
if(data7.entry !== undefined){
const _errs21 = errors;
if(typeof data7.entry !== "string"){
validate27.errors = [{instancePath:instancePath+"/deny/" + i2+"/entry",schemaPath:"#/$defs/rule/properties/entry/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid7 = _errs21 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data7.targets !== undefined){
let data9 = data7.targets;
const _errs23 = errors;
if(errors === _errs23){
if(Array.isArray(data9)){
var valid8 = true;
const len3 = data9.length;
for(let i3=0; i3<len3; i3++){
const _errs25 = errors;
if(typeof data9[i3] !== "string"){
validate27.errors = [{instancePath:instancePath+"/deny/" + i2+"/targets/" + i3,schemaPath:"#/$defs/rule/properties/targets/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid8 = _errs25 === errors;
if(!valid8){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/deny/" + i2+"/targets",schemaPath:"#/$defs/rule/properties/targets/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid7 = _errs23 === errors;
}
else {
var valid7 = true;
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/deny/" + i2,schemaPath:"#/$defs/rule/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid5 = _errs17 === errors;
if(!valid5){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/deny",schemaPath:"#/properties/deny/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs15 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.rate_limit !== undefined){
let data11 = data.rate_limit;
const _errs27 = errors;
const _errs28 = errors;
if(errors === _errs28){
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
let missing3;
if((((data11.requests === undefined) && (missing3 = "requests")) || ((data11.window_ms === undefined) && (missing3 = "window_ms"))) || ((data11.tools === undefined) && (missing3 = "tools"))){
validate27.errors = [{instancePath:instancePath+"/rate_limit",schemaPath:"#/$defs/rateLimit/required",keyword:"required",params:{missingProperty: missing3},message:"must have required property '"+missing3+"'"}];
return false;
}
else {
const _errs30 = errors;
for(const key2 in data11){
if(!(((key2 === "requests") || (key2 === "window_ms")) || (key2 === "tools"))){
validate27.errors = [{instancePath:instancePath+"/rate_limit",schemaPath:"#/$defs/rateLimit/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs30 === errors){
if(data11.requests !== undefined){
let data12 = data11.requests;
const _errs31 = errors;
if(!(((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12))) && (isFinite(data12)))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/requests",schemaPath:"#/$defs/rateLimit/properties/requests/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid10 = _errs31 === errors;
}
else {
var valid10 = true;
}
if(valid10){
if(data11.window_ms !== undefined){
let data13 = data11.window_ms;
const _errs33 = errors;
if(!(((typeof data13 == "number") && (!(data13 % 1) && !isNaN(data13))) && (isFinite(data13)))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/window_ms",schemaPath:"#/$defs/rateLimit/properties/window_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid10 = _errs33 === errors;
}
else {
var valid10 = true;
}
if(valid10){
if(data11.tools !== undefined){
let data14 = data11.tools;
const _errs35 = errors;
if(errors === _errs35){
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key3 in data14){
let data15 = data14[key3];
const _errs38 = errors;
if(errors === _errs38){
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
let missing4;
if(((data15.requests === undefined) && (missing4 = "requests")) || ((data15.window_ms === undefined) && (missing4 = "window_ms"))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/rateLimit/properties/tools/additionalProperties/required",keyword:"required",params:{missingProperty: missing4},message:"must have required property '"+missing4+"'"}];
return false;
}
else {
const _errs40 = errors;
for(const key4 in data15){
if(!((key4 === "requests") || (key4 === "window_ms"))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/rateLimit/properties/tools/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs40 === errors){
if(data15.requests !== undefined){
let data16 = data15.requests;
const _errs41 = errors;
if(!(((typeof data16 == "number") && (!(data16 % 1) && !isNaN(data16))) && (isFinite(data16)))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools/" + key3.replace(/~/g, "~0").replace(/\//g, "~1")+"/requests",schemaPath:"#/$defs/rateLimit/properties/tools/additionalProperties/properties/requests/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid12 = _errs41 === errors;
}
else {
var valid12 = true;
}
if(valid12){
if(data15.window_ms !== undefined){
let data17 = data15.window_ms;
const _errs43 = errors;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools/" + key3.replace(/~/g, "~0").replace(/\//g, "~1")+"/window_ms",schemaPath:"#/$defs/rateLimit/properties/tools/additionalProperties/properties/window_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid12 = _errs43 === errors;
}
else {
var valid12 = true;
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/rateLimit/properties/tools/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid11 = _errs38 === errors;
if(!valid11){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/rate_limit/tools",schemaPath:"#/$defs/rateLimit/properties/tools/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid10 = _errs35 === errors;
}
else {
var valid10 = true;
}
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/rate_limit",schemaPath:"#/$defs/rateLimit/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs27 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.budget !== undefined){
let data18 = data.budget;
const _errs45 = errors;
const _errs46 = errors;
if(errors === _errs46){
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
let missing5;
if(((data18.usd === undefined) && (missing5 = "usd")) || ((data18.per === undefined) && (missing5 = "per"))){
validate27.errors = [{instancePath:instancePath+"/budget",schemaPath:"#/$defs/budget/required",keyword:"required",params:{missingProperty: missing5},message:"must have required property '"+missing5+"'"}];
return false;
}
else {
const _errs48 = errors;
for(const key5 in data18){
if(!((key5 === "usd") || (key5 === "per"))){
validate27.errors = [{instancePath:instancePath+"/budget",schemaPath:"#/$defs/budget/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs48 === errors){
if(data18.usd !== undefined){
let data19 = data18.usd;
const _errs49 = errors;
if(!((typeof data19 == "number") && (isFinite(data19)))){
validate27.errors = [{instancePath:instancePath+"/budget/usd",schemaPath:"#/$defs/budget/properties/usd/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
var valid14 = _errs49 === errors;
}
else {
var valid14 = true;
}
if(valid14){
if(data18.per !== undefined){
let data20 = data18.per;
const _errs51 = errors;
if(!((data20 === "day") || (data20 === "month"))){
validate27.errors = [{instancePath:instancePath+"/budget/per",schemaPath:"#/$defs/budget/properties/per/enum",keyword:"enum",params:{allowedValues: schema47.properties.per.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid14 = _errs51 === errors;
}
else {
var valid14 = true;
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/budget",schemaPath:"#/$defs/budget/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs45 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.guardrails !== undefined){
let data21 = data.guardrails;
const _errs52 = errors;
if(errors === _errs52){
if(Array.isArray(data21)){
var valid15 = true;
const len4 = data21.length;
for(let i4=0; i4<len4; i4++){
const _errs54 = errors;
if(typeof data21[i4] !== "string"){
validate27.errors = [{instancePath:instancePath+"/guardrails/" + i4,schemaPath:"#/properties/guardrails/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid15 = _errs54 === errors;
if(!valid15){
break;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/guardrails",schemaPath:"#/properties/guardrails/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs52 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate27.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate27.errors = vErrors;
return errors === 0;
}
validate27.evaluated = {"props":{"description":true,"access":true,"deny":true,"rate_limit":true,"budget":true,"guardrails":true},"dynamicProps":false,"dynamicItems":false};


function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate26.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(!(validate27(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.effective === undefined) && (missing0 = "effective")){
validate26.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.effective !== undefined){
const _errs2 = errors;
if(!(validate24(data.effective, {instancePath:instancePath+"/effective",parentData:data,parentDataProperty:"effective",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var valid1 = _errs2 === errors;
}
else {
var valid1 = true;
}
if(valid1){
for(const key0 in data){
if(((((((key0 !== "effective") && (key0 !== "description")) && (key0 !== "access")) && (key0 !== "deny")) && (key0 !== "rate_limit")) && (key0 !== "budget")) && (key0 !== "guardrails")){
validate26.errors = [{instancePath,schemaPath:"#/unevaluatedProperties",keyword:"unevaluatedProperties",params:{unevaluatedProperty: key0},message:"must NOT have unevaluated properties"}];
return false;
break;
}
}
}
}
}
else {
validate26.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate26.errors = vErrors;
return errors === 0;
}
validate26.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema48 = {"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["effective"],"unevaluatedProperties":false,"properties":{"org":{"type":"string","description":"Org of the team."},"effective":{"$ref":"#/$defs/grants"}}};

function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate31.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(!(validate27(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.effective === undefined) && (missing0 = "effective")){
validate31.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.org !== undefined){
const _errs2 = errors;
if(typeof data.org !== "string"){
validate31.errors = [{instancePath:instancePath+"/org",schemaPath:"#/properties/org/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs2 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.effective !== undefined){
const _errs4 = errors;
if(!(validate24(data.effective, {instancePath:instancePath+"/effective",parentData:data,parentDataProperty:"effective",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var valid1 = _errs4 === errors;
}
else {
var valid1 = true;
}
if(valid1){
for(const key0 in data){
if((((((((key0 !== "org") && (key0 !== "effective")) && (key0 !== "description")) && (key0 !== "access")) && (key0 !== "deny")) && (key0 !== "rate_limit")) && (key0 !== "budget")) && (key0 !== "guardrails")){
validate31.errors = [{instancePath,schemaPath:"#/unevaluatedProperties",keyword:"unevaluatedProperties",params:{unevaluatedProperty: key0},message:"must NOT have unevaluated properties"}];
return false;
break;
}
}
}
}
}
}
else {
validate31.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate31.errors = vErrors;
return errors === 0;
}
validate31.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema49 = {"type":"object","allOf":[{"$ref":"#/$defs/level"}],"required":["sha256","effective"],"unevaluatedProperties":false,"properties":{"sha256":{"type":"string","pattern":"^[0-9a-f]{64}$","description":"sha256 of the raw key, lower-case hex."},"team":{"type":"string","description":"Team of the key."},"org":{"type":"string","description":"Org of the key (its team's org when it has a team)."},"effective":{"$ref":"#/$defs/grants"}}};
const pattern8 = new RegExp("^[0-9a-f]{64}$", "u");

function validate35(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate35.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(!(validate27(data, {instancePath,parentData,parentDataProperty,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((data.sha256 === undefined) && (missing0 = "sha256")) || ((data.effective === undefined) && (missing0 = "effective"))){
validate35.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
if(data.sha256 !== undefined){
let data0 = data.sha256;
const _errs2 = errors;
if(errors === _errs2){
if(typeof data0 === "string"){
if(!pattern8.test(data0)){
validate35.errors = [{instancePath:instancePath+"/sha256",schemaPath:"#/properties/sha256/pattern",keyword:"pattern",params:{pattern: "^[0-9a-f]{64}$"},message:"must match pattern \""+"^[0-9a-f]{64}$"+"\""}];
return false;
}
}
else {
validate35.errors = [{instancePath:instancePath+"/sha256",schemaPath:"#/properties/sha256/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid1 = _errs2 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.team !== undefined){
const _errs4 = errors;
if(typeof data.team !== "string"){
validate35.errors = [{instancePath:instancePath+"/team",schemaPath:"#/properties/team/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs4 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.org !== undefined){
const _errs6 = errors;
if(typeof data.org !== "string"){
validate35.errors = [{instancePath:instancePath+"/org",schemaPath:"#/properties/org/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid1 = _errs6 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.effective !== undefined){
const _errs8 = errors;
if(!(validate24(data.effective, {instancePath:instancePath+"/effective",parentData:data,parentDataProperty:"effective",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var valid1 = _errs8 === errors;
}
else {
var valid1 = true;
}
if(valid1){
for(const key0 in data){
if((((((((((key0 !== "sha256") && (key0 !== "team")) && (key0 !== "org")) && (key0 !== "effective")) && (key0 !== "description")) && (key0 !== "access")) && (key0 !== "deny")) && (key0 !== "rate_limit")) && (key0 !== "budget")) && (key0 !== "guardrails")){
validate35.errors = [{instancePath,schemaPath:"#/unevaluatedProperties",keyword:"unevaluatedProperties",params:{unevaluatedProperty: key0},message:"must NOT have unevaluated properties"}];
return false;
break;
}
}
}
}
}
}
}
}
else {
validate35.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate35.errors = vErrors;
return errors === 0;
}
validate35.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate23.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((((data.authentication === undefined) && (missing0 = "authentication")) || ((data.anonymous === undefined) && (missing0 = "anonymous"))) || ((data.groups === undefined) && (missing0 = "groups"))) || ((data.orgs === undefined) && (missing0 = "orgs"))) || ((data.teams === undefined) && (missing0 = "teams"))) || ((data.keys === undefined) && (missing0 = "keys"))){
validate23.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((((((key0 === "authentication") || (key0 === "anonymous")) || (key0 === "groups")) || (key0 === "orgs")) || (key0 === "teams")) || (key0 === "keys"))){
validate23.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.authentication !== undefined){
let data0 = data.authentication;
const _errs2 = errors;
if(!((data0 === "none") || (data0 === "required"))){
validate23.errors = [{instancePath:instancePath+"/authentication",schemaPath:"#/properties/authentication/enum",keyword:"enum",params:{allowedValues: schema39.properties.authentication.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.anonymous !== undefined){
const _errs3 = errors;
if(!(validate24(data.anonymous, {instancePath:instancePath+"/anonymous",parentData:data,parentDataProperty:"anonymous",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.groups !== undefined){
let data2 = data.groups;
const _errs4 = errors;
if(errors === _errs4){
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
for(const key1 in data2){
let data3 = data2[key1];
const _errs7 = errors;
if(errors === _errs7){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
let missing1;
if(((data3.entries === undefined) && (missing1 = "entries")) || ((data3.targets === undefined) && (missing1 = "targets"))){
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/groups/additionalProperties/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs9 = errors;
for(const key2 in data3){
if(!((key2 === "entries") || (key2 === "targets"))){
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/groups/additionalProperties/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs9 === errors){
if(data3.entries !== undefined){
let data4 = data3.entries;
const _errs10 = errors;
if(errors === _errs10){
if(Array.isArray(data4)){
var valid3 = true;
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
const _errs12 = errors;
if(typeof data4[i0] !== "string"){
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1")+"/entries/" + i0,schemaPath:"#/properties/groups/additionalProperties/properties/entries/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid3 = _errs12 === errors;
if(!valid3){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1")+"/entries",schemaPath:"#/properties/groups/additionalProperties/properties/entries/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid2 = _errs10 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.targets !== undefined){
let data6 = data3.targets;
const _errs14 = errors;
if(errors === _errs14){
if(Array.isArray(data6)){
var valid4 = true;
const len1 = data6.length;
for(let i1=0; i1<len1; i1++){
const _errs16 = errors;
if(typeof data6[i1] !== "string"){
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1")+"/targets/" + i1,schemaPath:"#/properties/groups/additionalProperties/properties/targets/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs16 === errors;
if(!valid4){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1")+"/targets",schemaPath:"#/properties/groups/additionalProperties/properties/targets/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid2 = _errs14 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/groups/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/groups/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid1 = _errs7 === errors;
if(!valid1){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/groups",schemaPath:"#/properties/groups/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.orgs !== undefined){
let data8 = data.orgs;
const _errs18 = errors;
if(errors === _errs18){
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
for(const key3 in data8){
const _errs21 = errors;
if(!(validate26(data8[key3], {instancePath:instancePath+"/orgs/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data8,parentDataProperty:key3,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate26.errors : vErrors.concat(validate26.errors);
errors = vErrors.length;
}
var valid5 = _errs21 === errors;
if(!valid5){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/orgs",schemaPath:"#/properties/orgs/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs18 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.teams !== undefined){
let data10 = data.teams;
const _errs22 = errors;
if(errors === _errs22){
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
for(const key4 in data10){
const _errs25 = errors;
if(!(validate31(data10[key4], {instancePath:instancePath+"/teams/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data10,parentDataProperty:key4,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
errors = vErrors.length;
}
var valid6 = _errs25 === errors;
if(!valid6){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/teams",schemaPath:"#/properties/teams/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs22 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.keys !== undefined){
let data12 = data.keys;
const _errs26 = errors;
if(errors === _errs26){
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
for(const key5 in data12){
const _errs29 = errors;
if(!(validate35(data12[key5], {instancePath:instancePath+"/keys/" + key5.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data12,parentDataProperty:key5,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
errors = vErrors.length;
}
var valid7 = _errs29 === errors;
if(!valid7){
break;
}
}
}
else {
validate23.errors = [{instancePath:instancePath+"/keys",schemaPath:"#/properties/keys/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs26 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
else {
validate23.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate23.errors = vErrors;
return errors === 0;
}
validate23.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema50 = {"type":"object","required":["grants"],"additionalProperties":false,"properties":{"grants":{"$ref":"#/$defs/grants"}}};

function validate40(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate40.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.grants === undefined) && (missing0 = "grants")){
validate40.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(key0 === "grants")){
validate40.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.grants !== undefined){
if(!(validate24(data.grants, {instancePath:instancePath+"/grants",parentData:data,parentDataProperty:"grants",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
}
}
}
}
else {
validate40.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate40.errors = vErrors;
return errors === 0;
}
validate40.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://mcpgw.dev/schema/bundle.schema.json" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((((((((((data.format === undefined) && (missing0 = "format")) || ((data.digest === undefined) && (missing0 = "digest"))) || ((data.gateway === undefined) && (missing0 = "gateway"))) || ((data.servers === undefined) && (missing0 = "servers"))) || ((data.tools === undefined) && (missing0 = "tools"))) || ((data.policy === undefined) && (missing0 = "policy"))) || ((data.toolsets === undefined) && (missing0 = "toolsets"))) || ((data.limits === undefined) && (missing0 = "limits"))) || ((data.metadata === undefined) && (missing0 = "metadata"))){
validate20.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(func1.call(schema31.properties, key0))){
validate20.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.format !== undefined){
const _errs2 = errors;
if("mcpgw.bundle/1" !== data.format){
validate20.errors = [{instancePath:instancePath+"/format",schemaPath:"#/properties/format/const",keyword:"const",params:{allowedValue: "mcpgw.bundle/1"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.digest !== undefined){
let data1 = data.digest;
const _errs3 = errors;
if(errors === _errs3){
if(typeof data1 === "string"){
if(!pattern4.test(data1)){
validate20.errors = [{instancePath:instancePath+"/digest",schemaPath:"#/properties/digest/pattern",keyword:"pattern",params:{pattern: "^sha256:[0-9a-f]{64}$"},message:"must match pattern \""+"^sha256:[0-9a-f]{64}$"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/digest",schemaPath:"#/properties/digest/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.signatures !== undefined){
let data2 = data.signatures;
const _errs5 = errors;
if(errors === _errs5){
if(Array.isArray(data2)){
if(data2.length < 1){
validate20.errors = [{instancePath:instancePath+"/signatures",schemaPath:"#/properties/signatures/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items"}];
return false;
}
else {
var valid1 = true;
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
const _errs7 = errors;
const _errs8 = errors;
if(errors === _errs8){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
let missing1;
if((((data3.keyid === undefined) && (missing1 = "keyid")) || ((data3.alg === undefined) && (missing1 = "alg"))) || ((data3.sig === undefined) && (missing1 = "sig"))){
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0,schemaPath:"#/$defs/signature/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs10 = errors;
for(const key1 in data3){
if(!(((key1 === "keyid") || (key1 === "alg")) || (key1 === "sig"))){
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0,schemaPath:"#/$defs/signature/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs10 === errors){
if(data3.keyid !== undefined){
let data4 = data3.keyid;
const _errs11 = errors;
if(errors === _errs11){
if(typeof data4 === "string"){
if(!pattern5.test(data4)){
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0+"/keyid",schemaPath:"#/$defs/signature/properties/keyid/pattern",keyword:"pattern",params:{pattern: "^ed25519:[0-9a-f]{16}$"},message:"must match pattern \""+"^ed25519:[0-9a-f]{16}$"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0+"/keyid",schemaPath:"#/$defs/signature/properties/keyid/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid3 = _errs11 === errors;
}
else {
var valid3 = true;
}
if(valid3){
if(data3.alg !== undefined){
const _errs13 = errors;
if("EdDSA" !== data3.alg){
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0+"/alg",schemaPath:"#/$defs/signature/properties/alg/const",keyword:"const",params:{allowedValue: "EdDSA"},message:"must be equal to constant"}];
return false;
}
var valid3 = _errs13 === errors;
}
else {
var valid3 = true;
}
if(valid3){
if(data3.sig !== undefined){
let data6 = data3.sig;
const _errs14 = errors;
if(errors === _errs14){
if(typeof data6 === "string"){
if(!pattern6.test(data6)){
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0+"/sig",schemaPath:"#/$defs/signature/properties/sig/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9_-]{86}$"},message:"must match pattern \""+"^[A-Za-z0-9_-]{86}$"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0+"/sig",schemaPath:"#/$defs/signature/properties/sig/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid3 = _errs14 === errors;
}
else {
var valid3 = true;
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/signatures/" + i0,schemaPath:"#/$defs/signature/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid1 = _errs7 === errors;
if(!valid1){
break;
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/signatures",schemaPath:"#/properties/signatures/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.metadata !== undefined){
let data7 = data.metadata;
const _errs16 = errors;
if(errors === _errs16){
if(data7 && typeof data7 == "object" && !Array.isArray(data7)){
let missing2;
if((((data7.compiler === undefined) && (missing2 = "compiler")) || ((data7.file === undefined) && (missing2 = "file"))) || ((data7.positions === undefined) && (missing2 = "positions"))){
validate20.errors = [{instancePath:instancePath+"/metadata",schemaPath:"#/properties/metadata/required",keyword:"required",params:{missingProperty: missing2},message:"must have required property '"+missing2+"'"}];
return false;
}
else {
const _errs18 = errors;
for(const key2 in data7){
if(!(((key2 === "compiler") || (key2 === "file")) || (key2 === "positions"))){
validate20.errors = [{instancePath:instancePath+"/metadata",schemaPath:"#/properties/metadata/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs18 === errors){
if(data7.compiler !== undefined){
let data8 = data7.compiler;
const _errs19 = errors;
if(errors === _errs19){
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
let missing3;
if(((data8.name === undefined) && (missing3 = "name")) || ((data8.version === undefined) && (missing3 = "version"))){
validate20.errors = [{instancePath:instancePath+"/metadata/compiler",schemaPath:"#/properties/metadata/properties/compiler/required",keyword:"required",params:{missingProperty: missing3},message:"must have required property '"+missing3+"'"}];
return false;
}
else {
const _errs21 = errors;
for(const key3 in data8){
if(!((key3 === "name") || (key3 === "version"))){
validate20.errors = [{instancePath:instancePath+"/metadata/compiler",schemaPath:"#/properties/metadata/properties/compiler/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs21 === errors){
if(data8.name !== undefined){
const _errs22 = errors;
if("mcpgw" !== data8.name){
validate20.errors = [{instancePath:instancePath+"/metadata/compiler/name",schemaPath:"#/properties/metadata/properties/compiler/properties/name/const",keyword:"const",params:{allowedValue: "mcpgw"},message:"must be equal to constant"}];
return false;
}
var valid5 = _errs22 === errors;
}
else {
var valid5 = true;
}
if(valid5){
if(data8.version !== undefined){
const _errs23 = errors;
if(typeof data8.version !== "string"){
validate20.errors = [{instancePath:instancePath+"/metadata/compiler/version",schemaPath:"#/properties/metadata/properties/compiler/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid5 = _errs23 === errors;
}
else {
var valid5 = true;
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/metadata/compiler",schemaPath:"#/properties/metadata/properties/compiler/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid4 = _errs19 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data7.file !== undefined){
const _errs25 = errors;
if(typeof data7.file !== "string"){
validate20.errors = [{instancePath:instancePath+"/metadata/file",schemaPath:"#/properties/metadata/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid4 = _errs25 === errors;
}
else {
var valid4 = true;
}
if(valid4){
if(data7.positions !== undefined){
let data12 = data7.positions;
const _errs27 = errors;
if(errors === _errs27){
if(data12 && typeof data12 == "object" && !Array.isArray(data12)){
for(const key4 in data12){
let data13 = data12[key4];
const _errs30 = errors;
if(errors === _errs30){
if(typeof data13 === "string"){
if(!pattern7.test(data13)){
validate20.errors = [{instancePath:instancePath+"/metadata/positions/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/metadata/properties/positions/additionalProperties/pattern",keyword:"pattern",params:{pattern: "^.+:[0-9]+:[0-9]+$"},message:"must match pattern \""+"^.+:[0-9]+:[0-9]+$"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/metadata/positions/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/metadata/properties/positions/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid6 = _errs30 === errors;
if(!valid6){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/metadata/positions",schemaPath:"#/properties/metadata/properties/positions/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid4 = _errs27 === errors;
}
else {
var valid4 = true;
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/metadata",schemaPath:"#/properties/metadata/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs16 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.gateway !== undefined){
let data14 = data.gateway;
const _errs32 = errors;
if(errors === _errs32){
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
let missing4;
if(((((((((((data14.name === undefined) && (missing4 = "name")) || ((data14.tool_separator === undefined) && (missing4 = "tool_separator"))) || ((data14.max_name_length === undefined) && (missing4 = "max_name_length"))) || ((data14.allowed_origins === undefined) && (missing4 = "allowed_origins"))) || ((data14.max_request_bytes === undefined) && (missing4 = "max_request_bytes"))) || ((data14.session_ttl_seconds === undefined) && (missing4 = "session_ttl_seconds"))) || ((data14.max_json_depth === undefined) && (missing4 = "max_json_depth"))) || ((data14.result_bytes_in_flight === undefined) && (missing4 = "result_bytes_in_flight"))) || ((data14.write_timeout_ms === undefined) && (missing4 = "write_timeout_ms"))) || ((data14.probe_interval_ms === undefined) && (missing4 = "probe_interval_ms"))){
validate20.errors = [{instancePath:instancePath+"/gateway",schemaPath:"#/properties/gateway/required",keyword:"required",params:{missingProperty: missing4},message:"must have required property '"+missing4+"'"}];
return false;
}
else {
const _errs34 = errors;
for(const key5 in data14){
if(!(func1.call(schema31.properties.gateway.properties, key5))){
validate20.errors = [{instancePath:instancePath+"/gateway",schemaPath:"#/properties/gateway/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs34 === errors){
if(data14.name !== undefined){
const _errs35 = errors;
if(typeof data14.name !== "string"){
validate20.errors = [{instancePath:instancePath+"/gateway/name",schemaPath:"#/properties/gateway/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid7 = _errs35 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.tool_separator !== undefined){
const _errs37 = errors;
if(typeof data14.tool_separator !== "string"){
validate20.errors = [{instancePath:instancePath+"/gateway/tool_separator",schemaPath:"#/properties/gateway/properties/tool_separator/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid7 = _errs37 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.max_name_length !== undefined){
let data17 = data14.max_name_length;
const _errs39 = errors;
if(!(((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17))) && (isFinite(data17)))){
validate20.errors = [{instancePath:instancePath+"/gateway/max_name_length",schemaPath:"#/properties/gateway/properties/max_name_length/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs39 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.allowed_origins !== undefined){
let data18 = data14.allowed_origins;
const _errs41 = errors;
if(errors === _errs41){
if(Array.isArray(data18)){
var valid8 = true;
const len1 = data18.length;
for(let i1=0; i1<len1; i1++){
const _errs43 = errors;
if(typeof data18[i1] !== "string"){
validate20.errors = [{instancePath:instancePath+"/gateway/allowed_origins/" + i1,schemaPath:"#/properties/gateway/properties/allowed_origins/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid8 = _errs43 === errors;
if(!valid8){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/gateway/allowed_origins",schemaPath:"#/properties/gateway/properties/allowed_origins/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid7 = _errs41 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.max_request_bytes !== undefined){
let data20 = data14.max_request_bytes;
const _errs45 = errors;
if(!(((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20))) && (isFinite(data20)))){
validate20.errors = [{instancePath:instancePath+"/gateway/max_request_bytes",schemaPath:"#/properties/gateway/properties/max_request_bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs45 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.session_ttl_seconds !== undefined){
let data21 = data14.session_ttl_seconds;
const _errs47 = errors;
if(!(((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21))) && (isFinite(data21)))){
validate20.errors = [{instancePath:instancePath+"/gateway/session_ttl_seconds",schemaPath:"#/properties/gateway/properties/session_ttl_seconds/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs47 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.max_json_depth !== undefined){
let data22 = data14.max_json_depth;
const _errs49 = errors;
if(!(((typeof data22 == "number") && (!(data22 % 1) && !isNaN(data22))) && (isFinite(data22)))){
validate20.errors = [{instancePath:instancePath+"/gateway/max_json_depth",schemaPath:"#/properties/gateway/properties/max_json_depth/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs49 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.result_bytes_in_flight !== undefined){
let data23 = data14.result_bytes_in_flight;
const _errs51 = errors;
if(!(((typeof data23 == "number") && (!(data23 % 1) && !isNaN(data23))) && (isFinite(data23)))){
validate20.errors = [{instancePath:instancePath+"/gateway/result_bytes_in_flight",schemaPath:"#/properties/gateway/properties/result_bytes_in_flight/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs51 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.write_timeout_ms !== undefined){
let data24 = data14.write_timeout_ms;
const _errs53 = errors;
if(!(((typeof data24 == "number") && (!(data24 % 1) && !isNaN(data24))) && (isFinite(data24)))){
validate20.errors = [{instancePath:instancePath+"/gateway/write_timeout_ms",schemaPath:"#/properties/gateway/properties/write_timeout_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs53 === errors;
}
else {
var valid7 = true;
}
if(valid7){
if(data14.probe_interval_ms !== undefined){
let data25 = data14.probe_interval_ms;
const _errs55 = errors;
if(!(((typeof data25 == "number") && (!(data25 % 1) && !isNaN(data25))) && (isFinite(data25)))){
validate20.errors = [{instancePath:instancePath+"/gateway/probe_interval_ms",schemaPath:"#/properties/gateway/properties/probe_interval_ms/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid7 = _errs55 === errors;
}
else {
var valid7 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/gateway",schemaPath:"#/properties/gateway/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs32 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.servers !== undefined){
let data26 = data.servers;
const _errs57 = errors;
if(errors === _errs57){
if(data26 && typeof data26 == "object" && !Array.isArray(data26)){
for(const key6 in data26){
const _errs60 = errors;
if(!(validate21(data26[key6], {instancePath:instancePath+"/servers/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data26,parentDataProperty:key6,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
var valid9 = _errs60 === errors;
if(!valid9){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/servers",schemaPath:"#/properties/servers/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs57 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.tools !== undefined){
let data28 = data.tools;
const _errs61 = errors;
if(errors === _errs61){
if(data28 && typeof data28 == "object" && !Array.isArray(data28)){
for(const key7 in data28){
let data29 = data28[key7];
const _errs64 = errors;
const _errs65 = errors;
if(errors === _errs65){
if(data29 && typeof data29 == "object" && !Array.isArray(data29)){
let missing5;
if(((data29.server === undefined) && (missing5 = "server")) || ((data29.tool === undefined) && (missing5 = "tool"))){
validate20.errors = [{instancePath:instancePath+"/tools/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/tool/required",keyword:"required",params:{missingProperty: missing5},message:"must have required property '"+missing5+"'"}];
return false;
}
else {
const _errs67 = errors;
for(const key8 in data29){
if(!((key8 === "server") || (key8 === "tool"))){
validate20.errors = [{instancePath:instancePath+"/tools/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/tool/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key8},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs67 === errors){
if(data29.server !== undefined){
const _errs68 = errors;
if(typeof data29.server !== "string"){
validate20.errors = [{instancePath:instancePath+"/tools/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/server",schemaPath:"#/$defs/tool/properties/server/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid12 = _errs68 === errors;
}
else {
var valid12 = true;
}
if(valid12){
if(data29.tool !== undefined){
const _errs70 = errors;
if(typeof data29.tool !== "string"){
validate20.errors = [{instancePath:instancePath+"/tools/" + key7.replace(/~/g, "~0").replace(/\//g, "~1")+"/tool",schemaPath:"#/$defs/tool/properties/tool/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid12 = _errs70 === errors;
}
else {
var valid12 = true;
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/tools/" + key7.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/tool/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid10 = _errs64 === errors;
if(!valid10){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs61 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.policy !== undefined){
const _errs72 = errors;
if(!(validate23(data.policy, {instancePath:instancePath+"/policy",parentData:data,parentDataProperty:"policy",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
errors = vErrors.length;
}
var valid0 = _errs72 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.toolsets !== undefined){
let data33 = data.toolsets;
const _errs73 = errors;
if(errors === _errs73){
if(data33 && typeof data33 == "object" && !Array.isArray(data33)){
for(const key9 in data33){
const _errs76 = errors;
if(!(validate40(data33[key9], {instancePath:instancePath+"/toolsets/" + key9.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data33,parentDataProperty:key9,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate40.errors : vErrors.concat(validate40.errors);
errors = vErrors.length;
}
var valid13 = _errs76 === errors;
if(!valid13){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/toolsets",schemaPath:"#/properties/toolsets/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs73 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.auth !== undefined){
let data35 = data.auth;
const _errs77 = errors;
const _errs78 = errors;
if(errors === _errs78){
if(data35 && typeof data35 == "object" && !Array.isArray(data35)){
const _errs80 = errors;
for(const key10 in data35){
if(!(key10 === "jwt")){
validate20.errors = [{instancePath:instancePath+"/auth",schemaPath:"#/$defs/auth/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key10},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs80 === errors){
if(data35.jwt !== undefined){
let data36 = data35.jwt;
const _errs81 = errors;
if(errors === _errs81){
if(data36 && typeof data36 == "object" && !Array.isArray(data36)){
let missing6;
if(((((((data36.issuer === undefined) && (missing6 = "issuer")) || ((data36.audience === undefined) && (missing6 = "audience"))) || ((data36.jwks_uri === undefined) && (missing6 = "jwks_uri"))) || ((data36.algorithms === undefined) && (missing6 = "algorithms"))) || ((data36.clock_skew_s === undefined) && (missing6 = "clock_skew_s"))) || ((data36.claims === undefined) && (missing6 = "claims"))){
validate20.errors = [{instancePath:instancePath+"/auth/jwt",schemaPath:"#/$defs/auth/properties/jwt/required",keyword:"required",params:{missingProperty: missing6},message:"must have required property '"+missing6+"'"}];
return false;
}
else {
const _errs83 = errors;
for(const key11 in data36){
if(!((((((key11 === "issuer") || (key11 === "audience")) || (key11 === "jwks_uri")) || (key11 === "algorithms")) || (key11 === "clock_skew_s")) || (key11 === "claims"))){
validate20.errors = [{instancePath:instancePath+"/auth/jwt",schemaPath:"#/$defs/auth/properties/jwt/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key11},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs83 === errors){
if(data36.issuer !== undefined){
const _errs84 = errors;
if(typeof data36.issuer !== "string"){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/issuer",schemaPath:"#/$defs/auth/properties/jwt/properties/issuer/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid16 = _errs84 === errors;
}
else {
var valid16 = true;
}
if(valid16){
if(data36.audience !== undefined){
let data38 = data36.audience;
const _errs86 = errors;
if(errors === _errs86){
if(Array.isArray(data38)){
var valid17 = true;
const len2 = data38.length;
for(let i2=0; i2<len2; i2++){
const _errs88 = errors;
if(typeof data38[i2] !== "string"){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/audience/" + i2,schemaPath:"#/$defs/auth/properties/jwt/properties/audience/items/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid17 = _errs88 === errors;
if(!valid17){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/auth/jwt/audience",schemaPath:"#/$defs/auth/properties/jwt/properties/audience/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid16 = _errs86 === errors;
}
else {
var valid16 = true;
}
if(valid16){
if(data36.jwks_uri !== undefined){
const _errs90 = errors;
if(typeof data36.jwks_uri !== "string"){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/jwks_uri",schemaPath:"#/$defs/auth/properties/jwt/properties/jwks_uri/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid16 = _errs90 === errors;
}
else {
var valid16 = true;
}
if(valid16){
if(data36.algorithms !== undefined){
let data41 = data36.algorithms;
const _errs92 = errors;
if(errors === _errs92){
if(Array.isArray(data41)){
var valid18 = true;
const len3 = data41.length;
for(let i3=0; i3<len3; i3++){
let data42 = data41[i3];
const _errs94 = errors;
if(!(((data42 === "RS256") || (data42 === "ES256")) || (data42 === "EdDSA"))){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/algorithms/" + i3,schemaPath:"#/$defs/auth/properties/jwt/properties/algorithms/items/enum",keyword:"enum",params:{allowedValues: schema51.properties.jwt.properties.algorithms.items.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid18 = _errs94 === errors;
if(!valid18){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/auth/jwt/algorithms",schemaPath:"#/$defs/auth/properties/jwt/properties/algorithms/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid16 = _errs92 === errors;
}
else {
var valid16 = true;
}
if(valid16){
if(data36.clock_skew_s !== undefined){
let data43 = data36.clock_skew_s;
const _errs95 = errors;
if(!(((typeof data43 == "number") && (!(data43 % 1) && !isNaN(data43))) && (isFinite(data43)))){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/clock_skew_s",schemaPath:"#/$defs/auth/properties/jwt/properties/clock_skew_s/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid16 = _errs95 === errors;
}
else {
var valid16 = true;
}
if(valid16){
if(data36.claims !== undefined){
let data44 = data36.claims;
const _errs97 = errors;
if(errors === _errs97){
if(data44 && typeof data44 == "object" && !Array.isArray(data44)){
const _errs99 = errors;
for(const key12 in data44){
if(!((key12 === "team") || (key12 === "org"))){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/claims",schemaPath:"#/$defs/auth/properties/jwt/properties/claims/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key12},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs99 === errors){
if(data44.team !== undefined){
const _errs100 = errors;
if(typeof data44.team !== "string"){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/claims/team",schemaPath:"#/$defs/auth/properties/jwt/properties/claims/properties/team/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid19 = _errs100 === errors;
}
else {
var valid19 = true;
}
if(valid19){
if(data44.org !== undefined){
const _errs102 = errors;
if(typeof data44.org !== "string"){
validate20.errors = [{instancePath:instancePath+"/auth/jwt/claims/org",schemaPath:"#/$defs/auth/properties/jwt/properties/claims/properties/org/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid19 = _errs102 === errors;
}
else {
var valid19 = true;
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/auth/jwt/claims",schemaPath:"#/$defs/auth/properties/jwt/properties/claims/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid16 = _errs97 === errors;
}
else {
var valid16 = true;
}
}
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/auth/jwt",schemaPath:"#/$defs/auth/properties/jwt/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/auth",schemaPath:"#/$defs/auth/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs77 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.limits !== undefined){
let data47 = data.limits;
const _errs104 = errors;
if(errors === _errs104){
if(data47 && typeof data47 == "object" && !Array.isArray(data47)){
let missing7;
if(((data47.store === undefined) && (missing7 = "store")) || ((data47.on_store_error === undefined) && (missing7 = "on_store_error"))){
validate20.errors = [{instancePath:instancePath+"/limits",schemaPath:"#/properties/limits/required",keyword:"required",params:{missingProperty: missing7},message:"must have required property '"+missing7+"'"}];
return false;
}
else {
const _errs106 = errors;
for(const key13 in data47){
if(!((key13 === "store") || (key13 === "on_store_error"))){
validate20.errors = [{instancePath:instancePath+"/limits",schemaPath:"#/properties/limits/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs106 === errors){
if(data47.store !== undefined){
let data48 = data47.store;
const _errs107 = errors;
if(!((data48 === "memory") || (data48 === "redis"))){
validate20.errors = [{instancePath:instancePath+"/limits/store",schemaPath:"#/properties/limits/properties/store/enum",keyword:"enum",params:{allowedValues: schema31.properties.limits.properties.store.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid20 = _errs107 === errors;
}
else {
var valid20 = true;
}
if(valid20){
if(data47.on_store_error !== undefined){
let data49 = data47.on_store_error;
const _errs108 = errors;
if(!((data49 === "deny") || (data49 === "allow"))){
validate20.errors = [{instancePath:instancePath+"/limits/on_store_error",schemaPath:"#/properties/limits/properties/on_store_error/enum",keyword:"enum",params:{allowedValues: schema31.properties.limits.properties.on_store_error.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid20 = _errs108 === errors;
}
else {
var valid20 = true;
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/limits",schemaPath:"#/properties/limits/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs104 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.guardrails !== undefined){
let data50 = data.guardrails;
const _errs109 = errors;
if(errors === _errs109){
if(data50 && typeof data50 == "object" && !Array.isArray(data50)){
for(const key14 in data50){
let data51 = data50[key14];
const _errs112 = errors;
const _errs113 = errors;
if(errors === _errs113){
if(data51 && typeof data51 == "object" && !Array.isArray(data51)){
let missing8;
if((((data51.deny_patterns === undefined) && (missing8 = "deny_patterns")) || ((data51.arguments_schema === undefined) && (missing8 = "arguments_schema"))) || ((data51.redact === undefined) && (missing8 = "redact"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/guardrail/required",keyword:"required",params:{missingProperty: missing8},message:"must have required property '"+missing8+"'"}];
return false;
}
else {
const _errs115 = errors;
for(const key15 in data51){
if(!((((key15 === "max_argument_bytes") || (key15 === "deny_patterns")) || (key15 === "arguments_schema")) || (key15 === "redact"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/guardrail/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key15},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs115 === errors){
if(data51.max_argument_bytes !== undefined){
let data52 = data51.max_argument_bytes;
const _errs116 = errors;
if(!(((typeof data52 == "number") && (!(data52 % 1) && !isNaN(data52))) && (isFinite(data52)))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/max_argument_bytes",schemaPath:"#/$defs/guardrail/properties/max_argument_bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
var valid23 = _errs116 === errors;
}
else {
var valid23 = true;
}
if(valid23){
if(data51.deny_patterns !== undefined){
let data53 = data51.deny_patterns;
const _errs118 = errors;
if(errors === _errs118){
if(Array.isArray(data53)){
var valid24 = true;
const len4 = data53.length;
for(let i4=0; i4<len4; i4++){
let data54 = data53[i4];
const _errs120 = errors;
if(errors === _errs120){
if(data54 && typeof data54 == "object" && !Array.isArray(data54)){
let missing9;
if((((data54.pattern === undefined) && (missing9 = "pattern")) || ((data54.flags === undefined) && (missing9 = "flags"))) || ((data54.message === undefined) && (missing9 = "message"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4,schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/required",keyword:"required",params:{missingProperty: missing9},message:"must have required property '"+missing9+"'"}];
return false;
}
else {
const _errs122 = errors;
for(const key16 in data54){
if(!(((key16 === "pattern") || (key16 === "flags")) || (key16 === "message"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4,schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key16},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs122 === errors){
if(data54.pattern !== undefined){
const _errs123 = errors;
if(typeof data54.pattern !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4+"/pattern",schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/properties/pattern/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid25 = _errs123 === errors;
}
else {
var valid25 = true;
}
if(valid25){
if(data54.flags !== undefined){
const _errs125 = errors;
if(typeof data54.flags !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4+"/flags",schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/properties/flags/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid25 = _errs125 === errors;
}
else {
var valid25 = true;
}
if(valid25){
if(data54.message !== undefined){
const _errs127 = errors;
if(typeof data54.message !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4+"/message",schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid25 = _errs127 === errors;
}
else {
var valid25 = true;
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns/" + i4,schemaPath:"#/$defs/guardrail/properties/deny_patterns/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid24 = _errs120 === errors;
if(!valid24){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/deny_patterns",schemaPath:"#/$defs/guardrail/properties/deny_patterns/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid23 = _errs118 === errors;
}
else {
var valid23 = true;
}
if(valid23){
if(data51.arguments_schema !== undefined){
let data58 = data51.arguments_schema;
const _errs129 = errors;
if(errors === _errs129){
if(data58 && typeof data58 == "object" && !Array.isArray(data58)){
for(const key17 in data58){
let data59 = data58[key17];
const _errs132 = errors;
if(!(data59 && typeof data59 == "object" && !Array.isArray(data59))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/arguments_schema/" + key17.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/guardrail/properties/arguments_schema/additionalProperties/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
var valid26 = _errs132 === errors;
if(!valid26){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/arguments_schema",schemaPath:"#/$defs/guardrail/properties/arguments_schema/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid23 = _errs129 === errors;
}
else {
var valid23 = true;
}
if(valid23){
if(data51.redact !== undefined){
let data60 = data51.redact;
const _errs134 = errors;
if(errors === _errs134){
if(Array.isArray(data60)){
var valid27 = true;
const len5 = data60.length;
for(let i5=0; i5<len5; i5++){
let data61 = data60[i5];
const _errs136 = errors;
if(errors === _errs136){
if(data61 && typeof data61 == "object" && !Array.isArray(data61)){
let missing10;
if((((data61.pattern === undefined) && (missing10 = "pattern")) || ((data61.flags === undefined) && (missing10 = "flags"))) || ((data61.replacement === undefined) && (missing10 = "replacement"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5,schemaPath:"#/$defs/guardrail/properties/redact/items/required",keyword:"required",params:{missingProperty: missing10},message:"must have required property '"+missing10+"'"}];
return false;
}
else {
const _errs138 = errors;
for(const key18 in data61){
if(!(((key18 === "pattern") || (key18 === "flags")) || (key18 === "replacement"))){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5,schemaPath:"#/$defs/guardrail/properties/redact/items/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key18},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs138 === errors){
if(data61.pattern !== undefined){
const _errs139 = errors;
if(typeof data61.pattern !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5+"/pattern",schemaPath:"#/$defs/guardrail/properties/redact/items/properties/pattern/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid28 = _errs139 === errors;
}
else {
var valid28 = true;
}
if(valid28){
if(data61.flags !== undefined){
const _errs141 = errors;
if(typeof data61.flags !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5+"/flags",schemaPath:"#/$defs/guardrail/properties/redact/items/properties/flags/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid28 = _errs141 === errors;
}
else {
var valid28 = true;
}
if(valid28){
if(data61.replacement !== undefined){
const _errs143 = errors;
if(typeof data61.replacement !== "string"){
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5+"/replacement",schemaPath:"#/$defs/guardrail/properties/redact/items/properties/replacement/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid28 = _errs143 === errors;
}
else {
var valid28 = true;
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact/" + i5,schemaPath:"#/$defs/guardrail/properties/redact/items/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid27 = _errs136 === errors;
if(!valid27){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1")+"/redact",schemaPath:"#/$defs/guardrail/properties/redact/type",keyword:"type",params:{type: "array"},message:"must be array"}];
return false;
}
}
var valid23 = _errs134 === errors;
}
else {
var valid23 = true;
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails/" + key14.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/guardrail/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid21 = _errs112 === errors;
if(!valid21){
break;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/guardrails",schemaPath:"#/properties/guardrails/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs109 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

