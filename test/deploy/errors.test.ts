import { explainFailure, type FailureContext } from '../../tools/deploy/errors';

const CONTEXT: FailureContext = { domain: 'acme.eu.auth0.com', stage: 'token', doing: 'signing in', requiredScopes: ['read:actions'] };

/** What fetch throws when the connection fails: "fetch failed", the system error as its cause. */
function fetchFailed(code: string): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`getaddrinfo ${code} acme.eu.auth0.com`), { code, syscall: 'getaddrinfo' }) });
}

describe('a failed DNS lookup of the tenant', () => {
  it.each(['ENOTFOUND', 'EAI_NONAME'])('names the domain as not resolving and asks for the right one on %s', (code) => {
    const explained = explainFailure(fetchFailed(code), CONTEXT);
    expect(explained.message).toBe(`AUTH0_DOMAIN acme.eu.auth0.com does not resolve from this machine (DNS: ${code}).`);
    expect(explained.fix).toMatch(/^Set AUTH0_DOMAIN to your tenant's domain .*; if it is that already, this machine cannot resolve it: check its network, DNS or proxy\.$/);
  });

  it('blames the resolver, not the domain, when it did not answer (EAI_AGAIN)', () => {
    const explained = explainFailure(fetchFailed('EAI_AGAIN'), CONTEXT);
    expect(explained.message).toBe("The DNS lookup of AUTH0_DOMAIN acme.eu.auth0.com failed for now (DNS: EAI_AGAIN): this machine's resolver did not answer.");
    expect(explained.fix).toMatch(/^Check this machine's network and DNS, then run the command again/);
  });
});
