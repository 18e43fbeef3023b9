// A throw-away certificate authority for the TLS tests, made with openssl at
// test time (nothing secret is committed): a CA and a server certificate for
// 127.0.0.1 signed by it, EC P-256, valid for one day. Installed by `make deps`.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCa {
  ca: string;
  cert: string;
  key: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Writes ca.crt, server.crt and server.key into dir; returns their paths. */
export function makeTestCa(dir: string): TestCa {
  const p = (name: string) => join(dir, name);
  openssl(['req', '-x509', ...EC, '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', '1', '-subj', '/CN=qiot test CA']);
  openssl(['req', ...EC, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(p('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('server.crt'),
    '-days',
    '1',
    '-extfile',
    p('server.ext'),
  ]);
  return { ca: p('ca.crt'), cert: p('server.crt'), key: p('server.key') };
}
