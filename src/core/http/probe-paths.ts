const PROBE = /^\/(health|metrics)(\/|\?|$)/;

/**
 * /health, /health/* and /metrics: asked every few seconds by every kubelet
 * and by Prometheus, so never queued for admission, logged or persisted.
 * Takes a URL (query string and all) or a route template.
 */
export function isProbePath(path: string): boolean {
  return PROBE.test(path);
}
