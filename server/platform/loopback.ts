/** A plain-http address on this machine's loopback: where local stand-ins (azurite, test services) may run without TLS. */
export const loopbackHttp = (url: string) => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(url);
