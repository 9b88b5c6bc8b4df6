import type { Actor } from '../../../shared/actor';
import { Api, ApiProblem } from '../api';
import type { Page } from '../app';
import { bilingual, h } from '../dom';
import { field, FormReader, InvalidInput, onSubmit, submitButton } from '../forms';
import { normalizeToken, tokenExpiry } from '../session';
import { heading } from '../ui';

/** Sign-in with a bearer token: pasted from the identity provider, or the output of the local `token` command. */
export const signInPage = (): Page => ({
  title: 'Sign in',
  async render(main, context) {
    const form = h(
      'form',
      { class: 'card', 'aria-labelledby': 'signin-heading' },
      field({
        name: 'token',
        label: 'Bearer token',
        type: 'textarea',
        rows: 5,
        required: true,
        spellcheck: false,
        hint: 'Paste the token your identity provider gave you, or the output of: npm run -s cli -- token --sub … --roles … (it is kept only in this tab and forgotten when the tab closes).',
      }),
      submitButton(bilingual('Sign in', 'प्रवेश')),
    );
    onSubmit(form, async () => {
      const reader = new FormReader(form);
      const token = normalizeToken(reader.text('token'));
      if (token === '') reader.problem('token', 'paste a token');
      reader.done();
      // Asked of the server: the console shows and acts on what the server verified, not on its own decoding.
      const probe = new Api({ token: () => token, onUnauthorized: () => undefined });
      let actor: Actor;
      try {
        actor = await probe.get<Actor>('/session');
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 401)
          throw new InvalidInput([{ field: 'token', reason: error.detail || 'the server does not accept this token' }]);
        throw error;
      }
      context.signIn({ token, actor, expiresAt: tokenExpiry(token) });
      context.notify(`Signed in as ${actor.name}.`);
      const next = context.query.get('next');
      context.navigate(next !== null && next.startsWith('/') && !next.startsWith('/signin') ? `#${next}` : '#/seizures');
    });
    main.replaceChildren(
      heading(h('span', { id: 'signin-heading' }, 'Sign in'), ' ', h('span', { lang: 'hi', class: 'hi' }, 'प्रवेश')),
      h(
        'p',
        null,
        'The console works with the same API and tokens as every other client. What you may see and do follows the roles and scope in your token; the server checks them again on every request.',
      ),
      form,
      h('p', null, 'Checking an evidence bundle needs no account: ', h('a', { href: '#/verify' }, 'verify a bundle'), '.'),
    );
  },
});
