/** One statement the API sent, with the parameters it bound. */
export interface CapturedStatement {
  sql: string;
  params: unknown[];
}
