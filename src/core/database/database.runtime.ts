/** Where this process's pool points and how large it may grow (decided before the app is built). */
export interface DatabaseRuntime {
  url: string;
  poolMax: number;
  /** Read replicas (DATABASE_READ_URLS), each with its own pool; none by default. */
  replicas?: ReplicaRuntime[];
  /**
   * False: the pool is declared but never opened (the OpenAPI document is built
   * without a database by `npm run openapi`). Default true.
   */
  connect?: boolean;
}

export const DATABASE_RUNTIME = Symbol('DATABASE_RUNTIME');

/** One read replica's pool: where it points and how large it may grow. */
export interface ReplicaRuntime {
  url: string;
  poolMax: number;
}
