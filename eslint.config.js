import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".data/**", "db/migrations/**", ".cache/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      // Domain code must not depend on Remix, React or routes (DESIGN §4).
    },
  },
  {
    files: ["portal/domain/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: ["@remix-run/*", "react", "react-dom", "~/routes/*", "../routes/*", "../../routes/*"] },
      ],
    },
  },
);
