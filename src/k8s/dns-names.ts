/**
 * Kubernetes name rules, checked before anything is generated so a bad name fails here with a
 * sentence instead of at `kubectl apply` time.
 *
 * - DNS-1123 label: at most 63 characters, lower-case alphanumerics and `-`, starting and ending
 *   with an alphanumeric. Namespaces, container names, volume names and Job names use it (a Job's
 *   name becomes the value of the `batch.kubernetes.io/job-name` label on its pods, and label values
 *   are limited to 63 characters, so the API server rejects longer Job names).
 * - DNS-1123 subdomain: at most 253 characters, labels joined by dots. Secret names use it.
 */

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

/**
 * Longest `generateName` prefix that the API server keeps whole: it appends 5 random characters
 * and truncates the prefix so the result fits 63.
 */
export const GENERATE_NAME_PREFIX_MAX = DNS1123_LABEL_MAX - 5;

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Label values: empty, or up to 63 of [A-Za-z0-9-_.] starting and ending with an alphanumeric. */
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Keys of a Secret's data: [-._a-zA-Z0-9]+, at most 253. */
const SECRET_KEY_RE = /^[-._a-zA-Z0-9]+$/;

export function isDns1123Label(s: string): boolean {
  return s.length <= DNS1123_LABEL_MAX && LABEL_RE.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= DNS1123_SUBDOMAIN_MAX && SUBDOMAIN_RE.test(s);
}

export function isLabelValue(s: string): boolean {
  return s.length <= DNS1123_LABEL_MAX && LABEL_VALUE_RE.test(s);
}

export function isSecretKey(s: string): boolean {
  return s.length <= DNS1123_SUBDOMAIN_MAX && SECRET_KEY_RE.test(s) && s !== '.' && s !== '..';
}

/**
 * Why `s` is not a DNS-1123 label, in words, or `undefined` when it is one. Used in error messages.
 */
export function dns1123LabelProblem(s: string): string | undefined {
  if (s.length === 0) return 'it is empty';
  if (s.length > DNS1123_LABEL_MAX) return `it is ${s.length} characters long (at most ${DNS1123_LABEL_MAX})`;
  if (/[A-Z]/.test(s)) return 'it has upper-case letters';
  if (!/^[a-z0-9]/.test(s) || !/[a-z0-9]$/.test(s)) return 'it must start and end with a letter or digit';
  if (!LABEL_RE.test(s)) return 'only lower-case letters, digits and "-" are allowed';
  return undefined;
}

/**
 * Turn free text (an image tag such as `v1.2.3_rc1`) into something usable inside a DNS-1123
 * label: lower case, runs of other characters become one `-`, no `-` at either end. May return ''.
 */
export function toDnsLabelChunk(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
