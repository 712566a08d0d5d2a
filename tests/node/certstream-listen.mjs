// Calidog's npm `certstream` client (Node build, ws@3) as a long-running listener for EndToEnd.Tests.
// usage: node certstream-listen.mjs <ws url>
// The library itself prints "Connection established to certstream! ..." on open. Every message it hands to
// the callback is printed as one line `MESSAGE <json>`; runs until killed. The library attaches no error or
// close handler; the ones added here only report (CLOSED/ERROR lines) so a test can say why a stream ended.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CertStreamClient = require('certstream');

const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node certstream-listen.mjs <ws url>\n');
  process.exit(2);
}

const client = new CertStreamClient((message) => {
  process.stdout.write(`MESSAGE ${JSON.stringify(message)}\n`);
}, false);
client.connect(url);
client.ws.on('close', (code) => {
  process.stdout.write(`CLOSED ${code}\n`);
  process.exit(1);
});
client.ws.on('error', (error) => {
  process.stdout.write(`ERROR ${error.message}\n`);
  process.exit(1);
});
process.on('SIGTERM', () => process.exit(0));
