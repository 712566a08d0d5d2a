// Interop peer (official nats.js client): subscribe, print READY, then one JSON line per message, exit after <count>.
// usage: node interop-sub.mjs <url> <subject> <count>
import { connect } from "@nats-io/transport-node";

const [url, subject, count] = process.argv.slice(2);
const nc = await connect({ servers: url });
const sub = nc.subscribe(subject, { max: Number(count) });
await nc.flush();
console.log("READY");
for await (const m of sub) {
  const headers = m.headers ? [...m.headers].map(([k, v]) => [k, v]) : null;
  console.log(JSON.stringify({
    subject: m.subject,
    reply: m.reply ?? null,
    data: Buffer.from(m.data).toString("base64"),
    headers,
    code: m.headers ? m.headers.code : 0,
  }));
}
await nc.close();
