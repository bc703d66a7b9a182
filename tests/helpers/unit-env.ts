import { TEST_SECRETS } from "./test-secrets";

(process.env as Record<string, string>).NODE_ENV = "test";
process.env.LOG_LEVEL = "silent";
Object.assign(process.env, TEST_SECRETS);
