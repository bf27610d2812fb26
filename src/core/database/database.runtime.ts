/** Where this process's pool points and how large it may grow (decided before the app is built). */
export interface DatabaseRuntime {
  url: string;
  poolMax: number;
}

export const DATABASE_RUNTIME = Symbol('DATABASE_RUNTIME');
