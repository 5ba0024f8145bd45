// `latchkey iam folders describe FOLDER`.

export { run } from './iam-organizations-describe.js';
