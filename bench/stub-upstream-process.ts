// A stand-in upstream for bench/upstream-proxy.ts, in its own process: answers every streamed
// completion at once with two OpenAI-shaped chunks, so the proxy's own share of the time to first
// token can be measured without a model's run-to-run noise. Prints its port on stdout.
import http from 'node:http';

const chunk = (text: string): string =>
  `data: ${JSON.stringify({ id: 'cmpl-stub', object: 'text_completion', created: 0, model: 'stub', choices: [{ index: 0, text, logprobs: null, finish_reason: null }] })}\n\n`;

const server = http.createServer((request, response) => {
  request.resume();
  request.once('end', () => {
    if (request.method !== 'POST') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'stub', object: 'model' }] }));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(chunk('a'));
    // The second chunk later, as a model's next token would come.
    setTimeout(() => response.end(`${chunk('b')}data: [DONE]\n\n`), 2);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
process.on('disconnect', () => process.exit(0));
