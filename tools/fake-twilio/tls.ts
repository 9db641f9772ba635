import { generate } from 'selfsigned';

/**
 * A throwaway certificate for 127.0.0.1, made at run time so the fake can serve HTTPS like the
 * real Twilio. Clients trust it through twilio's `ca` option; nothing is installed system-wide.
 */
export async function loopbackCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    notAfterDate: new Date(Date.now() + 24 * 60 * 60 * 1000),
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}
