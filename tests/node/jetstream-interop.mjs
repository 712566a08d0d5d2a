// Independent peer for the JetStream/KV interop tests and the JetStream publish benchmark: the official NATS JS client.
// Usage:
//   node jetstream-interop.mjs consume <url> <stream> <count>      -> one JSON line per message (acked), from a new durable "js_reader"
//   node jetstream-interop.mjs kvput <url> <bucket> <key> <value>  -> creates the bucket if needed, prints the revision
//   node jetstream-interop.mjs kvget <url> <bucket> <key>          -> prints {"value","revision"} or {"missing":true}
//   node jetstream-interop.mjs jspub <url> <subject> <count> <size> <window> -> prints {"msgs_per_s":N}
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, AckPolicy } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

const [mode, url, ...args] = process.argv.slice(2);
const nc = await connect({ servers: url });
try {
  if (mode === "consume") {
    const [stream, countText] = args;
    const count = Number(countText);
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.add(stream, { durable_name: "js_reader", ack_policy: AckPolicy.Explicit });
    const consumer = await jetstream(nc).consumers.get(stream, "js_reader");
    let got = 0;
    while (got < count) {
      const iter = await consumer.fetch({ max_messages: count - got, expires: 5000 });
      let batch = 0;
      for await (const m of iter) {
        console.log(JSON.stringify({ subject: m.subject, seq: m.seq, data: m.string(), msgId: m.headers?.get("Nats-Msg-Id") ?? null, delivered: m.info.deliveryCount }));
        m.ack();
        got++;
        batch++;
      }
      if (batch === 0) break;
    }
  } else if (mode === "kvput") {
    const [bucket, key, value] = args;
    const kv = await new Kvm(nc).create(bucket);
    const revision = await kv.put(key, value);
    console.log(JSON.stringify({ revision }));
  } else if (mode === "kvget") {
    const [bucket, key] = args;
    const kv = await new Kvm(nc).open(bucket);
    const entry = await kv.get(key);
    console.log(JSON.stringify(entry && entry.operation === "PUT" ? { value: entry.string(), revision: entry.revision } : { missing: true }));
  } else if (mode === "jspub") {
    const [subject, countText, sizeText, windowText] = args;
    const count = Number(countText), size = Number(sizeText), window = Number(windowText);
    const js = jetstream(nc);
    const payload = new Uint8Array(size);
    const inflight = new Set();
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) {
      if (inflight.size >= window) await Promise.race(inflight);
      const p = js.publish(subject, payload, { msgID: "js:" + i }).then(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(JSON.stringify({ msgs_per_s: count / seconds }));
  } else {
    throw new Error("unknown mode " + mode);
  }
} finally {
  await nc.drain();
}
