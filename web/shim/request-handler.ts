// The one signature every layer of the shim shares: a web-standard request in, a response out.
export type RequestHandler = (request: Request) => Promise<Response>;
