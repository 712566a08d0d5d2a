// Interop peer for tests/Contracts.Tests/NodeInteropTests.cs: @msgpack/msgpack (an independent
// implementation) reads a RawEntry the C# codec wrote, and writes RawEntry messages the C# codec must read.
//   node msgpack-interop.mjs decode   stdin: one MessagePack message   stdout: JSON describing what was decoded
//   node msgpack-interop.mjs encode   stdin: JSON entry (index as a decimal string, bytes as base64)
//                                     stdout: base64 messages, one per line
import { Decoder, Encoder } from "@msgpack/msgpack";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks);
const mode = process.argv[2];

// 64-bit integers come and go as BigInt so indexes above 2^53 keep every digit.
if (mode === "decode") {
  const entry = new Decoder({ useBigInt64: true }).decode(input);
  const describe = (value) =>
    value instanceof Uint8Array ? "bin" : typeof value;
  const report = {
    keys: Object.keys(entry),
    types: Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, describe(v)])),
    v: Number(entry.v),
    log: entry.log,
    url: entry.url,
    name: entry.name,
    operator: entry.operator,
    type: entry.type,
    index: entry.index.toString(),
    leaf_input: Buffer.from(entry.leaf_input).toString("base64"),
    extra_data: Buffer.from(entry.extra_data).toString("base64"),
    fetched_at: entry.fetched_at,
  };
  process.stdout.write(JSON.stringify(report));
} else if (mode === "encode") {
  const spec = JSON.parse(input.toString("utf8"));
  const encoder = new Encoder({ useBigInt64: true });
  const bytes = (b64) => new Uint8Array(Buffer.from(b64, "base64"));
  const entry = (fetchedAt) => ({
    // A key from a future version, before the known ones, with a nested value holding every kind
    // of container and an extension (Date → timestamp ext type -1) that a reader must skip.
    x_future: { list: [1, -2, "three", [4.5, null, true], { deep: { deeper: [new Date(0)] } }], bin: new Uint8Array([1, 2, 3]) },
    v: spec.v,
    log: spec.log,
    url: spec.url,
    name: spec.name,
    operator: spec.operator,
    type: spec.type,
    index: BigInt(spec.index),
    leaf_input: bytes(spec.leaf_input),
    extra_data: bytes(spec.extra_data),
    fetched_at: fetchedAt,
    zz_after: new Date(1790000000123),
  });
  // The second message has a whole-number fetched_at, which JavaScript writes as an integer.
  const messages = [entry(spec.fetched_at), entry(Math.trunc(spec.fetched_at))];
  process.stdout.write(messages.map((m) => Buffer.from(encoder.encode(m)).toString("base64")).join("\n"));
} else {
  process.stderr.write(`usage: node msgpack-interop.mjs decode|encode\n`);
  process.exit(2);
}
