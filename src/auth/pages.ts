// The few HTML pages of human login: pick a provider, confirm a device's user code, done.
// Every dynamic value is escaped; the pages load nothing and cannot be framed.

import type { FastifyReply } from 'fastify';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function sendPage(reply: FastifyReply, title: string, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'")
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>`
      + '<meta name="viewport" content="width=device-width">'
      + '<style>body{font-family:system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em}code,input{font-size:1.3em}button,a.button{font-size:1.1em;margin:.3em 0}</style>'
      + `</head><body><h1>${escape(title)}</h1>${body}</body></html>`);
}

/** Links to each provider; `hrefFor` builds the link of one. */
export function choosePage(providers: Array<{ name: string; displayName: string }>, hrefFor: (name: string) => string): string {
  const items = providers.map((p) => `<li><a class="button" id="provider-${escape(p.name)}" href="${escape(hrefFor(p.name))}">${escape(p.displayName)}</a></li>`);
  return `<p>Choose where to sign in:</p><ul>${items.join('')}</ul>`;
}

/** The device page: type (or confirm) the code the terminal shows. */
export function devicePage(o: { action: string; csrf: string; userCode?: string; providers: Array<{ name: string; displayName: string }> }): string {
  const choice = o.providers.length > 1
    ? `<p><label>Sign in with <select name="provider">${o.providers.map((p) => `<option value="${escape(p.name)}">${escape(p.displayName)}</option>`).join('')}</select></label></p>`
    : '';
  const code = o.userCode
    ? `<p>Your terminal should show this code:</p><p><code>${escape(o.userCode)}</code></p><input type="hidden" name="user_code" value="${escape(o.userCode)}">`
    : '<p><label>Code shown in your terminal: <input name="user_code" autocomplete="off" autofocus required placeholder="XXXX-XXXX" size="10"></label></p>';
  return `<form method="post" action="${escape(o.action)}">${code}`
    + '<p><strong>Continue only if you started <code>latchkey auth login</code> yourself, just now.</strong> '
    + 'Whoever runs that terminal gets your access.</p>'
    + `<input type="hidden" name="csrf" value="${escape(o.csrf)}">${choice}<button id="approve" type="submit">Continue and sign in</button></form>`;
}

export function deviceDonePage(who: string): string {
  return `<p id="done">Signed in as ${escape(who)}. You can close this window and go back to your terminal.</p>`;
}
