// A browser without JavaScript, for the in-process tests: follows redirects, keeps cookies (by
// name and path, shared across ports as browsers do), and submits the one form of each page —
// hidden fields as they are, `login`/`password` filled in. The end-to-end tests use Chromium.

export interface Landing {
  url: URL;
  status: number;
  body: string;
}

export class FetchBrowser {
  readonly cookies = new Map<string, { value: string; path: string }>();

  /**
   * Goes to `start` and on until a redirect to a URL `stopAt` accepts (returned unvisited), or a
   * page with no form. `login` is what to type at the provider's sign-in page.
   */
  async visit(start: string, o: { login?: string; stopAt?: (u: URL) => boolean } = {}): Promise<Landing> {
    let url = new URL(start);
    let init: { method: string; body?: string } = { method: 'GET' };
    for (let hop = 0; hop < 25; hop++) {
      const headers: Record<string, string> = { cookie: this.#cookieHeader(url) };
      if (init.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(url, { ...init, headers, redirect: 'manual' });
      this.#store(res, url);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        url = new URL(location, url);
        init = { method: 'GET' };
        if (o.stopAt?.(url)) return { url, status: res.status, body: '' };
        continue;
      }
      const body = await res.text();
      const form = parseForm(body);
      if (!form || res.status !== 200) return { url, status: res.status, body };
      const fields = new URLSearchParams(form.hidden);
      if (form.names.includes('login')) {
        fields.set('login', o.login ?? 'someone');
        fields.set('password', 'any');
      }
      url = new URL(form.action, url);
      init = { method: 'POST', body: fields.toString() };
    }
    throw new Error('too many hops');
  }

  #cookieHeader(url: URL): string {
    return [...this.cookies].filter(([, c]) => url.pathname.startsWith(c.path)).map(([n, c]) => `${n}=${c.value}`).join('; ');
  }

  #store(res: Response, url: URL): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? url.pathname.replace(/[^/]*$/, '');
      const gone = attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair!.slice(eq + 1), path });
    }
  }
}

function parseForm(html: string): { action: string; hidden: Array<[string, string]>; names: string[] } | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const hidden: Array<[string, string]> = [];
  const names: string[] = [];
  for (const m of form[2]!.matchAll(/<input([^>]*)>/gi)) {
    const name = /name="([^"]*)"/.exec(m[1]!)?.[1];
    if (!name) continue;
    names.push(name);
    if (/type="hidden"/.test(m[1]!)) hidden.push([name, unescape(/value="([^"]*)"/.exec(m[1]!)?.[1] ?? '')]);
  }
  return { action: unescape(form[1]!), hidden, names };
}
