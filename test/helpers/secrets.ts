/** The HS256 secret both test runtimes are configured with. */
export const TEST_JWT_SECRET = 'tenor-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
