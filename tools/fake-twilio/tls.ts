import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TWILIO_EDGES, TWILIO_REGIONS } from '../../src/core/config';

/** A certificate the fakes serve, and the file that holds it for TWILIO_CA_BUNDLE (or NODE_EXTRA_CA_CERTS). */
export interface FakeCertificate {
  key: string;
  cert: string;
  /** The certificate alone, in PEM: what a client is told to trust. */
  caPath: string;
}

/**
 * Every host name the sender, the check or a test may address: `{product}.twilio.com` (api,
 * verify, messaging, content, voice…), `{product}.{region}.twilio.com` and
 * `{product}.{edge}.{region}.twilio.com` for every region and edge the sender accepts. A wildcard
 * covers one label only, so each region and each edge of each region has its own.
 */
export function twilioCertificateNames(): string[] {
  return ['*.twilio.com', ...TWILIO_REGIONS.map((region) => `*.${region}.twilio.com`), ...TWILIO_REGIONS.flatMap((region) => TWILIO_EDGES.map((edge) => `*.${edge}.${region}.twilio.com`))];
}

/** A certificate serves the period it was made for (30 days) and a week after it, so that a run across the turn never sees it expire. */
const PERIOD_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The project's root: the first folder above this file (or the bundle it is in) that holds a package.json. */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function makeCertificate(period: number, names: readonly string[]): Promise<{ key: string; cert: string }> {
  // Loaded only to make one: it costs a fifth of a second of CPU, and every test file reads the kept one.
  const { generate } = require('selfsigned') as typeof import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'api.twilio.com' }], {
    notBeforeDate: new Date(period * PERIOD_MS - DAY_MS),
    notAfterDate: new Date((period + 1) * PERIOD_MS + 7 * DAY_MS),
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, ...names.map((value) => ({ type: 2 as const, value }))] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * Writes `content` to `file` unless it exists, in one step: whoever links first wins, and a
 * reader sees the whole file or none. Returns what the file holds afterwards.
 */
function createOnce(file: string, content: string): string {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, content);
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  return readFileSync(file, 'utf8');
}

let current: Promise<FakeCertificate> | undefined;

/**
 * The certificate every fake on loopback serves (the fake Twilio, the fake Management API): for
 * 127.0.0.1 and every Twilio host name (twilioCertificateNames), made once per period and kept
 * in build/fake-twilio/, since making one costs a fifth of a second of CPU. Processes that start
 * together (jest's workers) agree on one: the first to write it wins and the others read it.
 * Nothing is installed system-wide: a client trusts it through TWILIO_CA_BUNDLE (the sender's
 * transport and twilio's RequestClient read it), NODE_EXTRA_CA_CERTS or its `ca` option.
 */
export function twilioCertificate(): Promise<FakeCertificate> {
  // One for the life of the process, so that its fakes and its clients never hold two.
  current ??= keptCertificate(Math.floor(Date.now() / PERIOD_MS));
  return current;
}

async function keptCertificate(period: number): Promise<FakeCertificate> {
  const names = twilioCertificateNames();
  const base = join(projectRoot(), 'build', 'fake-twilio', `certificate-${period}-${createHash('sha256').update(names.join(',')).digest('hex').slice(0, 12)}`);
  let kept: { key: string; cert: string } | undefined;
  try {
    kept = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { key: string; cert: string };
  } catch {
    mkdirSync(dirname(base), { recursive: true });
    kept = JSON.parse(createOnce(`${base}.json`, JSON.stringify(await makeCertificate(period, names)))) as { key: string; cert: string };
  }
  const caPath = `${base}.pem`;
  if (!existsSync(caPath) || readFileSync(caPath, 'utf8') !== kept.cert) {
    // The same bytes from whichever process writes them: a rename over the file is safe.
    const temporary = `${caPath}.${process.pid}.tmp`;
    writeFileSync(temporary, kept.cert);
    renameSync(temporary, caPath);
  }
  return { key: kept.key, cert: kept.cert, caPath };
}

/** The same certificate, for a fake reached at 127.0.0.1 (the fake Management API). */
export async function loopbackCertificate(): Promise<{ key: string; cert: string }> {
  const { key, cert } = await twilioCertificate();
  return { key, cert };
}

/** Makes this process's Twilio clients trust the fakes' certificate (TWILIO_CA_BUNDLE); returns what undoes it. */
export async function trustFakeCertificate(): Promise<() => void> {
  const { caPath } = await twilioCertificate();
  const before = process.env.TWILIO_CA_BUNDLE;
  process.env.TWILIO_CA_BUNDLE = caPath;
  return () => {
    if (before === undefined) delete process.env.TWILIO_CA_BUNDLE;
    else process.env.TWILIO_CA_BUNDLE = before;
  };
}
