import * as oidc from 'openid-client';
import type { OidcConfig } from '../../domain/service-config';

/**
 * Login through an OpenID Connect provider (e.g. Entra ID): authorization code flow with PKCE, state and
 * nonce. The ID token's email claim (auth.oidc.emailClaim) is looked up in the directory; whoever is not there
 * does not get in, whatever the provider says.
 */
export interface OidcLogin {
  /** Where to send the browser, and what the callback must check (kept in the session meanwhile). */
  start(): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }>;
  /** The email address the provider vouches for, after checking state, nonce, PKCE and the ID token. */
  finish(callbackUrl: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<string | undefined>;
}

export async function discoverOidc(
  settings: OidcConfig,
  redirectUri: string,
  clientSecret?: string,
): Promise<OidcLogin> {
  const configuration = await oidc.discovery(new URL(settings.issuer), settings.clientId, clientSecret);
  return {
    async start() {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: settings.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url: url.href, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, checks) {
      const tokens = await oidc.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return undefined;
      // Providers that say whether the address is verified must say yes; Entra ID does not send the claim.
      if (claims.email_verified === false) return undefined;
      const email = claims[settings.emailClaim];
      return typeof email === 'string' ? email : undefined;
    },
  };
}
