// ESLint for the plain scripts Trellis ships: the theme's (themes/*/static)
// and serve's live reload (src/serve). They are classic browser scripts, not
// modules (they must run from file:// and under a strict CSP), written for
// the browsers the theme supports. `.ci/run` runs `npx eslint .`.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  {
    ignores: ["node_modules/**", "target/**", "public/**", "fuzz/**", "bench/**"],
  },
  js.configs.recommended,
  {
    files: ["themes/**/*.js", "src/**/*.js"],
    languageOptions: {
      ecmaVersion: 2018,
      sourceType: "script",
      globals: { ...globals.browser },
    },
    rules: {
      "no-var": "off",
      "no-unused-vars": ["error", { caughtErrors: "none", argsIgnorePattern: "^_" }],
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-implicit-globals": "error",
      strict: ["error", "function"],
    },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: { ...globals.node } },
  },
];
