import {
  hashToken,
  TollgateError,
  ZGithubSecretScanningReport,
  ZRevokeCredentialsInput,
} from '@tollgate/domain';
import type { FastifyPluginAsync } from 'fastify';
import { GithubPublicKeys } from '../core/github-keys.ts';
import { receivePublicLeakReport, revokeReportedNow } from '../core/leaks.ts';
import { validationFailed } from '../errors.ts';
import { REQUEST_ID_HEADER } from '../request-id.ts';
import type { Services } from '../services.ts';
import { CACHE_CONTROL, NO_STORE } from './errors.ts';
import { type CookieCodec, restRequestInfo } from './request.ts';

export const PUBLIC_LEAK_REPORT_PATH = '/credentials/revoke';
export const GITHUB_SECRET_SCANNING_PATH = '/secret-scanning/github';

const KEY_ID_HEADER = 'github-public-key-identifier';
const SIGNATURE_HEADER = 'github-public-key-signature';

const keysOf = new WeakMap<Services, GithubPublicKeys>();

function githubKeys(services: Services): GithubPublicKeys | undefined {
  const source = services.env.GITHUB_SECRET_SCANNING_KEYS;
  if (source === undefined) return undefined;
  let keys = keysOf.get(services);
  if (!keys) {
    keys = new GithubPublicKeys(source, () => services.clock.now().getTime());
    keysOf.set(services, keys);
  }
  return keys;
}

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The leak-report endpoints of §13 under /api/v1, registered in the REST facade's scope (its JSON parsing and
 * §7 errors), without Bearer authentication:
 * - `POST /credentials/revoke`: a public leak report, answered 202 (the core's receivePublicLeakReport, as
 *   the tRPC procedure `credentials.revoke`, with the same domain schema and per-address limit);
 * - `POST /secret-scanning/github`: GitHub's secret-scanning partner endpoint, when GITHUB_SECRET_SCANNING_KEYS
 *   is set (404 otherwise): the signature is checked over the raw body before it is parsed.
 */
export function leakReportRoutes(deps: { services: Services; cookies: CookieCodec }): FastifyPluginAsync {
  const { services, cookies } = deps;
  return async (app) => {
    app.post(PUBLIC_LEAK_REPORT_PATH, async (request, reply) => {
      reply.header(CACHE_CONTROL, NO_STORE).header(REQUEST_ID_HEADER, request.id);
      const input = ZRevokeCredentialsInput.safeParse(request.body ?? {});
      if (!input.success) throw validationFailed(input.error);
      const answer = await receivePublicLeakReport(
        services,
        input.data.credentials,
        restRequestInfo(request, reply, cookies),
      );
      return reply.code(202).send(answer);
    });

    await app.register(async (github) => {
      // The signature covers the exact bytes: keep the body as a string and parse it after checking.
      github.removeContentTypeParser('application/json');
      github.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
        done(null, body),
      );
      github.post(GITHUB_SECRET_SCANNING_PATH, async (request, reply) => {
        reply.header(CACHE_CONTROL, NO_STORE).header(REQUEST_ID_HEADER, request.id);
        const keys = githubKeys(services);
        if (!keys) {
          throw new TollgateError('NOT_FOUND', 'GitHub secret scanning is not enabled on this server.');
        }
        const keyId = header(request.headers[KEY_ID_HEADER]);
        const signature = header(request.headers[SIGNATURE_HEADER]);
        const body = typeof request.body === 'string' ? request.body : '';
        let verified = false;
        if (keyId !== undefined && signature !== undefined) {
          try {
            verified = await keys.verify(keyId, signature, body);
          } catch (error) {
            request.log.error({ err: error }, "could not read GitHub's secret-scanning public keys");
            throw new TollgateError(
              'UNAVAILABLE',
              "GitHub's public keys could not be read; try again later.",
            );
          }
        }
        if (!verified) {
          throw new TollgateError(
            'INVALID_TOKEN',
            'The report is not signed by a GitHub secret-scanning key (Github-Public-Key-Identifier / Github-Public-Key-Signature).',
          );
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          throw new TollgateError('VALIDATION_FAILED', 'The request body is not valid JSON.');
        }
        const report = ZGithubSecretScanningReport.safeParse(parsed);
        if (!report.success) {
          throw new TollgateError(
            'VALIDATION_FAILED',
            undefined,
            report.error.issues.map((issue) => ({
              path: issue.path.map(String).join('.'),
              message: issue.message,
            })),
          );
        }
        const matched = await revokeReportedNow(
          services,
          'github_secret_scanning',
          report.data,
          restRequestInfo(request, reply, cookies),
        );
        return reply.code(200).send(
          report.data.map((match) => {
            const tokenHash = hashToken(match.token);
            return {
              token_hash: tokenHash,
              token_type: match.type,
              label: matched.has(tokenHash) ? 'true_positive' : 'false_positive',
            };
          }),
        );
      });
    });
  };
}
