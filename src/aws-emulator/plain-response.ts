// The response a route handler returns; the server writes it (status, type, extra headers, body).

export interface PlainResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export function text(status: number, body: string, headers?: Record<string, string>): PlainResponse {
  return { status, contentType: 'text/plain', body, ...(headers ? { headers } : {}) };
}

export function json(status: number, value: unknown): PlainResponse {
  return { status, contentType: 'application/json', body: JSON.stringify(value, null, 2) };
}
