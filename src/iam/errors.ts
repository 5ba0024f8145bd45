// Refusals of the IAM context.
export type IamErrorCode =
  | 'INVALID_ARGUMENT'    // bad input: nothing was changed
  | 'NOT_FOUND'           // no such record (or not visible to the caller)
  | 'PERMISSION_DENIED'   // authenticated, but no binding grants the capability here
  | 'ALREADY_EXISTS'      // a unique name or binding is taken
  | 'FAILED_PRECONDITION'; // the record cannot change this way (e.g. a built-in role)
