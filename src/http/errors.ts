// Refusals of the HTTP layer itself (before any context sees the request).
export type HttpErrorCode =
  | 'BAD_REQUEST'            // schema validation: unknown field, wrong type, bad query
  | 'BODY_TOO_LARGE'         // over --body-limit
  | 'UNSUPPORTED_MEDIA_TYPE' // not JSON (or a form, where a form is accepted)
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'INTERNAL';
