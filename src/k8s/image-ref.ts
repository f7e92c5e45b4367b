/**
 * Container image references: `[registry[:port]/]path[:tag][@algo:hex]`.
 *
 * The migration image carries the migrations folder, so it must name one build exactly: an image
 * without a tag (which means `latest`) or tagged `latest` is refused, because `godwit wait` in the
 * app pods compares the database against the folder baked into the image, and a moving tag makes
 * the app wait for a different set of migrations than the Job applied.
 */
import { ConfigError } from '../core/errors.js';

export interface ImageRef {
  /** As given. */
  readonly raw: string;
  /** Everything before the tag and digest, e.g. `ghcr.io/acme/shop-migrations`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:...` */
  readonly digest?: string;
}

const REPOSITORY_RE = /^[a-z0-9]+(?:[._-]+[a-z0-9]+|__)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const REGISTRY_HOST_RE = /^[a-zA-Z0-9.-]+(?::[0-9]+)?$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/** Parse and check an image reference; throws `ConfigError` (exit 2) with the reason. */
export function parseImageRef(raw: string, flag = 'image'): ImageRef {
  const bad = (why: string): ConfigError =>
    new ConfigError(`--${flag} "${raw}" is not a usable image reference: ${why}. Example: ghcr.io/acme/shop-migrations:1.4.2`);
  if (raw.trim() !== raw || raw.length === 0 || /\s/.test(raw)) throw bad('it is empty or contains spaces');
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw bad(`the digest "${digest}" is not algorithm:hex`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw bad(`the tag "${tag}" has characters a tag cannot have`);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasRegistry ? rest.slice(slash + 1) : rest;
  if (hasRegistry && !REGISTRY_HOST_RE.test(first)) throw bad(`the registry "${first}" is not a host name`);
  if (!REPOSITORY_RE.test(path)) throw bad('the repository must be lower case letters, digits and . _ - /');
  if (digest === undefined && (tag === undefined || tag === 'latest')) {
    throw bad(
      'pin a tag or a digest, not "latest": the app pods\' `godwit wait` compares the database with the ' +
        'migrations baked into this image, so it must be the exact build of the release',
    );
  }
  return Object.freeze({ raw, repository: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) });
}
