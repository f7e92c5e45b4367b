/** Godwit's version, kept in step with package.json by a test. */
export const GODWIT_VERSION = '0.1.0';
