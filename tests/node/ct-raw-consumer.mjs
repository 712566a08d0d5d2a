// A third party tapping CT_RAW (README "NATS subjects"), for tests/Ingestor.Tests/Service/NodeConsumerTests.cs: the official NATS JS
// client reads the stream through its own pull consumer and @msgpack/msgpack decodes each RawEntry.
//   node ct-raw-consumer.mjs <url> <subject> <count>   -> one JSON line per entry, then exits
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, AckPolicy } from "@nats-io/jetstream";
import { Decoder } from "@msgpack/msgpack";

const [url, subject, countText] = process.argv.slice(2);
const count = Number(countText);
const nc = await connect({ servers: url });
const name = "node_reader_" + Math.random().toString(36).slice(2, 10);
const jsm = await jetstreamManager(nc);
try {
  await jsm.consumers.add("CT_RAW", { durable_name: name, ack_policy: AckPolicy.Explicit, filter_subject: subject });
  const consumer = await jetstream(nc).consumers.get("CT_RAW", name);
  // Index is uint64: BigInt keeps every digit.
  const decoder = new Decoder({ useBigInt64: true });
  let got = 0;
  while (got < count) {
    const batch = await consumer.fetch({ max_messages: count - got, expires: 5000 });
    let n = 0;
    for await (const m of batch) {
      const e = decoder.decode(m.data);
      console.log(JSON.stringify({
        subject: m.subject,
        msgId: m.headers?.get("Nats-Msg-Id") ?? null,
        v: Number(e.v), log: e.log, url: e.url, name: e.name, operator: e.operator, type: e.type,
        index: e.index.toString(),
        leaf_input: Buffer.from(e.leaf_input).toString("base64"),
        extra_data: Buffer.from(e.extra_data).toString("base64"),
        fetched_at: e.fetched_at,
      }));
      m.ack();
      got++;
      n++;
    }
    if (n === 0) break;
  }
} finally {
  await jsm.consumers.delete("CT_RAW", name).catch(() => {});
  await nc.drain();
}
