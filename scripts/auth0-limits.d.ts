/** Auth0's limit on an action's (or a hook's) code, in bytes of UTF-8: see auth0-limits.js. */
export declare const AUTH0_CODE_LIMIT_BYTES: number;
