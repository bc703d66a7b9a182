/** Fixed, obviously-test-only secrets; production refuses nothing here because tests never run as production. */
export const TEST_SECRETS = {
  AUTH_SECRET: "test-auth-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  ENCRYPTION_KEY_ID: "t1",
};
