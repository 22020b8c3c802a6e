// Parsing an address that must be an absolute http(s) URL: the only kind clips link to or remember a site by.

/** The parsed URL when `u` is an absolute http(s) address, otherwise undefined. */
export function parseWebUrl(u: string | undefined): URL | undefined {
  if (!u) return undefined;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
