import { createServer } from 'node:http';
import { echoAnswer } from '../shared/messages.js';
import { announce, benchProcessHooks } from '../shared/server-ready.js';

/** The platform ceiling: node:http reading the body, parsing it and answering the same JSON. */
benchProcessHooks();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: unknown };
    const body = JSON.stringify(echoAnswer(message.id));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => announce(server));
