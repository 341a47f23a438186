/** The API host of an Imply Polaris organization: ORG.REGION.CLOUD.api.imply.io (docs/polaris.md). */
const IMPLY_API_HOST = /^([a-z0-9-]+)\.(?:[a-z0-9-]+\.)*api\.imply\.io$/i;

/** Imply's issuer for the organization of a Polaris URL, or undefined for a host that is not Imply's. */
export function defaultTokenUrl(polarisUrl: string): string | undefined {
  const org = IMPLY_API_HOST.exec(new URL(polarisUrl).hostname)?.[1];
  return org === undefined ? undefined : `https://id.imply.io/auth/realms/${encodeURIComponent(org)}/protocol/openid-connect/token`;
}
