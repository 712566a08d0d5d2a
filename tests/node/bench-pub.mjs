// Publish throughput of the official nats.js client, for the RATIO line of `bench -- nats`.
// usage: node bench-pub.mjs <url> <count> <size>   → prints "<msgs_per_s>"
import { connect } from "@nats-io/transport-node";

const [url, countArg, sizeArg] = process.argv.slice(2);
const count = Number(countArg);
const payload = new Uint8Array(Number(sizeArg));
const nc = await connect({ servers: url });
for (let i = 0; i < 10000; i++) nc.publish("bench.js.warm", payload);
await nc.flush();
const start = process.hrtime.bigint();
for (let i = 0; i < count; i++) {
  nc.publish("bench.js", payload);
  // Let the socket drain now and then, as a real publisher would; nats.js buffers without bound otherwise.
  if (i % 65536 === 65535) await nc.flush();
}
await nc.flush();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(Math.round(count / seconds));
await nc.close();
