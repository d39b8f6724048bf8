import { z } from 'zod';
import { durationSchema } from './duration';
import { breachSignalSchema } from './signal';

/** Secrets are named here, never written here: each key holds the name of the environment variable. */
const envNameSchema = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be the name of an environment variable, e.g. LEKDICHT_INTAKE_DLP_SECRET');

/** The HTTP service started beside the worker: responders' API, login, intake for automated triggers. */
export const httpConfigSchema = z
  .object({
    /** Loopback by default: put a TLS-terminating proxy in front before opening it to the network. */
    host: z.string().trim().min(1).default('127.0.0.1'),
    port: z.number({ message: 'must be a port number' }).int().min(0).max(65_535).default(8080),
    /** Where people reach the service (links in login links and emails); https makes the session cookie Secure. */
    publicUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL, e.g. https://lekdicht.example.org' })
      .optional(),
    /** Behind a proxy: trust its X-Forwarded-* headers (client address for rate limits, https for cookies). */
    trustProxy: z.boolean().default(false),
    /**
     * The Temporal UI's origins (scheme, host, port), the only ones whose pages may call the codec endpoint
     * (/codec/decode, /codec/encode) with a person's session. Default: the UI of `npm start`'s dev server.
     */
    temporalUiOrigins: z
      .array(
        z
          .url({ protocol: /^https?$/, message: 'must be an origin such as http://127.0.0.1:8233' })
          .refine((u) => {
            // z.url() has already refused what is not a URL, but a refinement still runs after that refusal.
            try {
              const url = new URL(u);
              return url.pathname === '/' && !url.search && !url.hash;
            } catch {
              return false;
            }
          }, 'must be an origin only: scheme, host and port, no path')
          .transform((u) => new URL(u).origin),
      )
      .default(['http://127.0.0.1:8233', 'http://localhost:8233']),
    /**
     * The people (email addresses from the directory) who may decode payloads through the codec endpoint: it
     * reveals every breach's contents, whoever is involved in it, so it is an operations duty given to named
     * people, not to a role. Default: nobody.
     */
    codecOperators: z
      .array(z.email('must be an email address').transform((e) => e.toLowerCase()))
      .max(100)
      .default([]),
    /** Replaced: a role gave every FG, CISO and ICT manager every breach, also those they are not involved in. */
    codecRoles: z
      .never({
        error:
          'has been replaced: list the people who may decode payloads in http.codecOperators (their email addresses)',
      })
      .optional(),
  })
  .strict();
export type HttpConfig = z.output<typeof httpConfigSchema>;

export const oidcConfigSchema = z
  .object({
    /** The issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0 for Entra ID. */
    issuer: z.url({ message: 'must be the issuer URL' }),
    clientId: z.string().trim().min(1, 'is required'),
    /** The environment variable holding the client secret; absent for a public client (PKCE only). */
    clientSecretEnv: envNameSchema.optional(),
    /** The ID-token claim holding the email address that is looked up in the directory. */
    emailClaim: z.string().trim().min(1).default('email'),
    scopes: z.array(z.string().trim().min(1)).min(1).default(['openid', 'email', 'profile']),
  })
  .strict();
export type OidcConfig = z.output<typeof oidcConfigSchema>;

export const authConfigSchema = z
  .object({
    /** password: per-person passwords and login links set with the CLI; oidc: an identity provider such as Entra ID. */
    method: z.enum(['password', 'oidc']).default('password'),
    /** SQLite file with password hashes, login-link token hashes and sessions (never plaintext). */
    path: z.string().trim().min(1).default('data/auth.db'),
    /** A session ends after this long without a request (sliding)... */
    sessionTtl: durationSchema.prefault('8h'),
    /** ...and this long after the login, however active it is (absolute). */
    sessionLifetime: durationSchema.prefault('12h'),
    /**
     * Password login on an address other than loopback (http.host) is refused: passwords alone are one factor.
     * Only for a listener that is itself published on loopback only (a container behind a 127.0.0.1 port
     * mapping); in production use auth.method oidc with the identity provider's MFA.
     */
    allowPasswordOffLoopback: z.boolean().default(false),
    loginLinkTtl: durationSchema.prefault('15m'),
    oidc: oidcConfigSchema.optional(),
  })
  .strict()
  .superRefine((auth, ctx) => {
    if (auth.method === 'oidc' && auth.oidc === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['oidc'],
        message: 'is required when auth.method is oidc: give issuer and clientId',
      });
    }
  });
export type AuthConfig = z.output<typeof authConfigSchema>;

export const intakeSourceSchema = z.object({ secretEnv: envNameSchema }).strict();

/** At most `max` requests per `window` (fixed windows, counted in the intake store shared by every instance). */
export const rateLimitSchema = z
  .object({
    max: z
      .number({ message: 'must be a whole number of requests' })
      .int('must be a whole number of requests')
      .min(1, 'must be at least 1')
      .max(1_000_000, 'is more than 1000000'),
    window: durationSchema,
  })
  .strict();
export type RateLimit = z.output<typeof rateLimitSchema>;

/** Automated triggers (SIEM, DLP, forms): each source signs its requests with its own secret. */
export const intakeConfigSchema = z
  .object({
    sources: z.record(breachSignalSchema.shape.source, intakeSourceSchema).default({}),
    maxBodyBytes: z.number().int().min(1_024).max(1_048_576).default(65_536),
    /** Signed requests older or newer than this are refused, so a captured request cannot be replayed later. */
    maxClockSkew: durationSchema.prefault('5m'),
    /**
     * SQLite file shared by every HTTP instance: signed requests already accepted (a replay inside the clock-skew
     * window is refused), rate-limit counters and per-event duplicate counts. Never a request body.
     */
    path: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(4_096, 'is longer than 4096 characters')
      .default('data/intake.db'),
    rateLimit: z
      .object({
        /** All requests of one source: a SIEM in a retry loop is slowed down before it floods the workflow server. */
        perSource: rateLimitSchema.prefault({ max: 600, window: '1m' }),
        /** Reports of one event (source + eventId): duplicates beyond this add nothing a person needs. */
        perEvent: rateLimitSchema.prefault({ max: 30, window: '1m' }),
      })
      .strict()
      .prefault({}),
    /**
     * A duplicate report only bumps a counter in the store; the breach hears the running totals at most this often
     * per event (one small signal), so a flood of duplicates cannot grow the breach's history.
     */
    duplicateSignalEvery: durationSchema.prefault('1m'),
  })
  .strict();
export type IntakeConfig = z.output<typeof intakeConfigSchema>;

/** The service's address for people: the configured public URL, else where it listens. No trailing slash. */
export function publicUrlOf(http: Pick<HttpConfig, 'host' | 'port' | 'publicUrl'>): string {
  if (http.publicUrl) return http.publicUrl.replace(/\/+$/, '');
  const host = http.host.includes(':') ? `[${http.host}]` : http.host;
  return `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${http.port}`;
}
