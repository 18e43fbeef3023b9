// Imported first by main.ts: the shared zod schemas (fleet payloads, run configs)
// must not compile validators with `new Function`, which the page's CSP forbids.
import { z } from 'zod';

z.config({ jitless: true });
