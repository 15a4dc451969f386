/**
 * A parsed JSON answer as the tests read it: its shape is the one the test expects (API answers
 * are also checked against the contract), so fields are read without declaring them first, as with
 * fetch's `json()`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read parsed JSON answers field by field; declaring each shape would only repeat the assertions
export type Json = any;
