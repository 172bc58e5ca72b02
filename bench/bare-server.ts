// The floor for the request-path benchmark: a bare node:http server that
// answers every request with the bytes a cache hit for k1 returns.
import { createServer } from 'node:http';

const body = Buffer.from('1'); // the value of k1 in the benchmark's database
const server = createServer((_, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length });
  res.end(body);
});
server.listen(Number(process.argv[2]), () => console.log('bare server ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
