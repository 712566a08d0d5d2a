// Interop peer (official nats.js client): publishes three known messages to <subject>, then flushes and exits.
// usage: node interop-pub.mjs <url> <subject>
import { connect, headers } from "@nats-io/transport-node";

const [url, subject] = process.argv.slice(2);
const nc = await connect({ servers: url });
const h = headers();
h.append("X-Multi", "a");
h.append("X-Multi", "b");
h.append("Case-Key", "MixedValue");
nc.publish(subject, Uint8Array.from({ length: 256 }, (_, i) => i), { headers: h });
nc.publish(subject, new Uint8Array(0), { reply: "reply.subject" });
nc.publish(subject, Uint8Array.from({ length: 100000 }, (_, i) => i % 251));
await nc.flush();
await nc.close();
console.log("SENT");
