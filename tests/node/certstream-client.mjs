// Calidog's npm `certstream` client (Node build, ws@3) against an edge, for Edge.Tests' compatibility test.
// usage: node certstream-client.mjs <ws url> <certificate messages to wait for> <require a heartbeat: 0|1>
// Prints every message the library hands to its callback as `MESSAGE <json>`; exits 0 once enough arrived.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CertStreamClient = require('certstream');

const [url, wanted, needHeartbeat] = [process.argv[2], Number(process.argv[3]), process.argv[4] === '1'];
let certificates = 0;
let heartbeats = 0;

const client = new CertStreamClient((message) => {
  process.stdout.write(`MESSAGE ${JSON.stringify(message)}\n`);
  if (message.message_type === 'heartbeat') heartbeats++;
  else certificates++;
  if (certificates >= wanted && (!needHeartbeat || heartbeats > 0)) process.exit(0);
}, false);
client.connect(url);

setTimeout(() => {
  process.stderr.write(`timed out with ${certificates} certificates and ${heartbeats} heartbeats\n`);
  process.exit(2);
}, 30000);
