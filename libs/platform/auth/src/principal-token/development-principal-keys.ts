/**
 * The well-known key pair the gateway signs forwarded principals with on developer machines and in
 * tests, so services verify them without any setup. It is public, hence worthless: configuration
 * refuses it (and its absence) when RF_ENV=production.
 */
export const DEVELOPMENT_PRINCIPAL_SIGNING_KEY = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIHIP+TUo/7sCG2Ol6C4fcApzZxDSprJBwSndJQwjPp7z
-----END PRIVATE KEY-----
`;

export const DEVELOPMENT_PRINCIPAL_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAgaz0coWic+PilthmjVndfTOiXN85vD0H3eqPqEodEjc=
-----END PUBLIC KEY-----
`;
