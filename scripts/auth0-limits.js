// Auth0's limits that the build, the deploy, the benchmark and the fake Management API hold a
// bundle to: written once here (plain JavaScript, since scripts/build.js runs without compiling;
// auth0-limits.d.ts gives TypeScript its type).
'use strict';

/**
 * Auth0: "Each Action should not exceed 100 kB" (the Hooks editor held the same), counted here in
 * bytes of UTF-8 and as 100,000, the stricter reading of "kB". The whole code counts: the banner,
 * an adopter's customization, and the fingerprint comment the deploy appends.
 */
const AUTH0_CODE_LIMIT_BYTES = 100_000;

module.exports = { AUTH0_CODE_LIMIT_BYTES };
