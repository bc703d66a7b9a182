import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";

// Import boundaries (docs/CONTRIBUTING.md). ESLint applies the last matching config's
// no-restricted-imports, so each area lists every pattern that applies to it.
const DRIVER = { group: ["pg", "drizzle-orm/node-postgres"], message: "Only src/server/db may import the driver." };
const SERVER_UP = {
  group: ["@/web", "@/web/**", "@/app", "@/app/**", "@/components/**", "**/web/**", "**/app/**", "**/components/**", "next", "next/**"],
  message: "src/server is framework-free: it imports neither src/web, src/app, src/components nor Next.js. Pass what it needs as arguments.",
};
const COMPONENTS_UP = {
  group: ["@/app", "@/app/**", "**/app/**"],
  message: "Components do not import routes: server actions live in src/web/actions/<area>.ts (or arrive as props).",
};
const VALIDATION_EXECUTOR = {
  group: ["**/checks/executors", "**/checks/executors/**", "@/server/checks/executors/**"],
  message: "A validation schema imports no check executor: share the parser from a module both can import.",
};
const VALIDATION_API = {
  group: ["**/api/**", "@/server/api/**"],
  message: "Validation schemas sit below the REST layer: src/server/api reads them, never the reverse.",
};
const restrictImports = (...patterns) => ["error", { patterns }];

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", "db/migrations/", "next-env.d.ts", "test-results/", "playwright-report/", ".perigee/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": restrictImports(DRIVER),
    },
  },
  {
    files: ["src/**/*.{ts,tsx}", "workers/**/*.ts", "scripts/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read settings through env() from src/server/env.ts, the one place the environment is read and validated." },
      ],
    },
  },
  { files: ["src/server/env.ts"], rules: { "no-restricted-properties": "off" } },
  { files: ["src/server/**"], rules: { "no-restricted-imports": restrictImports(DRIVER, SERVER_UP) } },
  { files: ["src/server/validation/**"], rules: { "no-restricted-imports": restrictImports(DRIVER, SERVER_UP, VALIDATION_EXECUTOR, VALIDATION_API) } },
  { files: ["src/server/db/**"], rules: { "no-restricted-imports": restrictImports(SERVER_UP) } },
  { files: ["src/components/**"], rules: { "no-restricted-imports": restrictImports(DRIVER, COMPONENTS_UP) } },
  {
    // Server components render once per request (no re-renders), so reading the clock there is fine.
    files: ["src/app/**/page.tsx", "src/app/**/layout.tsx"],
    rules: { "react-hooks/purity": "off" },
  },
  {
    files: ["scripts/**", "tests/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // The PostgreSQL monitor kind's executor connects to customers' databases, not ours.
    files: ["src/server/monitors/kinds/postgres.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
  },
);
